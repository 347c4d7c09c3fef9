// The search page in headless Chromium against the local stack: the page at `/` (the JSON for STAC
// clients), a box drawn on the map, filters in the URL, results with footprints, a product with its
// quicklook, and a download whose bytes match the catalogue's checksum. Screenshots go to test-artifacts/.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OPERATOR, DEMO_USER } from "../../dev/local/auth-issuer.ts";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
import { bypassingCsp, chromiumInstalled, launchChromium } from "../support/chromium.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const haveChromium = chromiumInstalled("search page tests");

const SHOTS = "test-artifacts/search-page";
const NAVIGATION_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

let stack: TestStack;
let browser: Browser;
let tab: Page;
const product = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:06:31.024Z" });
// Across the antimeridian: the API stores and returns its footprint split at 180°.
const fiji = generateSentinel2Product({
  tile: "01KAB",
  datetime: "2023-01-05T22:19:41.024Z",
  relativeOrbit: 72,
  footprint: [
    [179.4, -17.2],
    [-179.6, -17.2],
    [-179.6, -16.3],
    [179.4, -16.3],
  ],
});

const shot = (name: string) => tab.screenshot({ path: `${SHOTS}/${name}.png` });
const status = () => tab.textContent("#status");
// Page-side code is passed as strings: the tests are type-checked without the DOM library.
const statusIs = (p: Page, text: string) =>
  p.waitForFunction(`document.querySelector("#status")?.textContent === ${JSON.stringify(text)}`);
/**
 * A download list's link, checked to be a refresh link: the API's URL of one asset, signed for the
 * signed-in user and that asset for days (an item's own links are presigned or signed for minutes).
 * Returns the asset it opens.
 */
function refreshLink(href: string): string {
  const url = new URL(href);
  const claim = JSON.parse(
    Buffer.from((url.searchParams.get("signature") ?? "").split(".")[0]!, "base64url").toString(),
  ) as { k: string; u: string; e: number; a: string };
  expect([claim.k, claim.u], href).toEqual(["asset", DEMO_USER.user]);
  expect(url.pathname, href).toBe(`/collections/sentinel-2-l2a/items/${product.name}/assets/${claim.a}`);
  expect(claim.e * 1000 - Date.now(), href).toBeGreaterThan(6 * 86_400_000);
  return claim.a;
}
const footprintPaths = () => tab.locator(".leaflet-overlay-pane path.leaflet-interactive").count();

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  // As deployed by default: anyone searches, downloads need sign-in.
  stack = await startTestStack({ access: DEFAULT_ACCESS });
  await stack.upload(product.key, product.bytes, "application/zip");
  await stack.upload(fiji.key, fiji.bytes, "application/zip");
  // Its waits evaluate strings in the page, which the page's CSP forbids (search-page-draw.test.ts runs under it).
  browser = bypassingCsp(await launchChromium());
  tab = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe("content negotiation at /", () => {
  it.skipIf(!haveChromium)("gives browsers the page and STAC clients the landing JSON", async () => {
    const html = await fetch(`${stack.api}/`, { headers: { accept: NAVIGATION_ACCEPT } });
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.headers.get("vary")).toBe("accept");
    const text = await html.text();
    const js = /src="[^"]*\/ui\/(app-[A-Z0-9]+\.js)"/.exec(text)?.[1];
    expect(js).toBeDefined();
    for (const accept of ["application/json", "*/*", "application/json, text/html;q=0.5", ""]) {
      const res = await fetch(`${stack.api}/`, accept ? { headers: { accept } } : {});
      expect(res.headers.get("content-type"), accept).toBe("application/json");
      expect(((await res.json()) as { type: string }).type).toBe("Catalog");
    }
    const asset = await fetch(`${stack.api}/ui/${js}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toContain("javascript");
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${stack.api}/ui/app-NOPE.js`)).status).toBe(404);
    expect((await fetch(`${stack.api}/ui/manifest.json`)).status).toBe(404);
  });
});

describe.skipIf(!haveChromium)("the search page in Chromium", () => {
  it("opens at / with the offline basemap, and makes no request off the local stack", async () => {
    const origins = new Set<string>();
    tab.on("request", (r) => origins.add(new URL(r.url()).origin));
    const res = await tab.goto(`${stack.api}/`);
    expect(res?.headers()["content-type"]).toContain("text/html");
    await tab.waitForSelector("#map[data-basemap=loaded]");
    await tab.waitForFunction('document.querySelectorAll("#f-collections option").length > 0');
    expect(await tab.getByLabel("Area (bbox)").isVisible()).toBe(true);
    const paint = await tab.evaluate<number>(
      'performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1',
    );
    console.log(
      `search page first contentful paint: ${Math.round(paint)} ms (headless Chromium, local stack)`,
    );
    await shot("01-opened");
    const allowed = new Set([
      stack.api.replace("localhost", "127.0.0.1"),
      stack.api,
      new URL(stack.endpoints.downloads.presignEndpoint).origin,
    ]);
    expect([...origins].filter((o) => !allowed.has(o) && !o.startsWith("data:"))).toEqual([]);
  });

  it("searches the box drawn on the map, and shows the footprints", async () => {
    await tab.click("#draw-box");
    const box = (await tab.locator("#map").boundingBox())!;
    // About 30°W–60°E, 10°N–70°N at the opening view: Europe, where the product lies, is inside.
    await tab.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.2);
    await tab.mouse.down();
    await tab.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4, { steps: 5 });
    await tab.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.6, { steps: 5 });
    await tab.mouse.up();
    await tab.waitForFunction('document.querySelector("#status")?.textContent?.includes("found")');
    expect(await status(), tab.url()).toBe("1 product found");
    expect(new URL(tab.url()).searchParams.get("bbox")).toMatch(/^-?[\d.]+,-?[\d.]+,-?[\d.]+,-?[\d.]+$/);
    expect(await tab.locator("#results li").count()).toBe(1);
    expect(await footprintPaths()).toBe(1);
    await shot("02-box-drawn");
  });

  it("filters by box, dates and cloud cover; the URL holds the search and back returns to it", async () => {
    const searchFor = async (fill: Record<string, string>) => {
      for (const [label, value] of Object.entries(fill))
        await tab.getByLabel(label, { exact: true }).fill(value);
      await tab.click("#search");
      await tab.waitForFunction('!document.querySelector("#status")?.textContent?.includes("Searching")');
      return status();
    };
    expect(await searchFor({ "Area (bbox)": "-80,-50,-30,0" })).toBe("0 products found");
    expect(await footprintPaths()).toBe(0);
    // A box across the antimeridian (west > east) finds the product there, drawn as one shape at 180°.
    expect(await searchFor({ "Area (bbox)": "179,-18,-179,-16" })).toBe("1 product found");
    const path = tab.locator(".leaflet-overlay-pane path.leaflet-interactive");
    expect(((await path.getAttribute("d")) ?? "").match(/M/g)).toHaveLength(2);
    const drawn = (await path.boundingBox())!;
    const mapBox = (await tab.locator("#map").boundingBox())!;
    expect(drawn.width).toBeLessThan(mapBox.width / 2);
    await shot("03-antimeridian");
    expect(await searchFor({ "Area (bbox)": "10,40,20,55", From: "2024-05-01", To: "2024-05-31" })).toBe(
      "1 product found",
    );
    expect(await searchFor({ From: "2023-01-01", To: "2023-12-31" })).toBe("0 products found");
    expect(await searchFor({ From: "2024-05-01", To: "2024-05-31", "Cloud cover at most (%)": "100" })).toBe(
      "1 product found",
    );
    await tab.getByLabel("Text", { exact: true }).fill("no-such-word-anywhere");
    await tab.click("#search");
    await statusIs(tab, "0 products found");
    const url = new URL(tab.url());
    expect(url.searchParams.get("q")).toBe("no-such-word-anywhere");
    expect(url.searchParams.get("cloud")).toBe("100");
    await tab.goBack();
    await statusIs(tab, "1 product found");
    expect(await tab.getByLabel("Text", { exact: true }).inputValue()).toBe("");
    expect(await tab.getByLabel("Cloud cover at most (%)").inputValue()).toBe("100");
    // The same URL opened afresh (shared) gives the same search.
    const shared = await browser.newPage();
    await shared.goto(tab.url());
    await statusIs(shared, "1 product found");
    await shared.close();
    await shot("03-filtered");
  });

  it("filters by platform, product type, orbit direction and relative orbit, held in the URL", async () => {
    const props = (
      (await stack.get(`/collections/sentinel-2-l2a/items/${product.name}`)).body as {
        properties: Record<string, string | number>;
      }
    ).properties;
    const [platform, type, orbit, relorbit] = [
      String(props["platform"]),
      String(props["product:type"]),
      String(props["sat:orbit_state"]),
      Number(props["sat:relative_orbit"]),
    ];
    const other = orbit === "ascending" ? "descending" : "ascending";
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${stack.api}/`);
    await statusIs(page, "2 products found");
    const searchFor = async (fill: Record<string, string>, orbitDirection = "") => {
      for (const [label, value] of Object.entries(fill))
        await page.getByLabel(label, { exact: true }).fill(value);
      await page.getByLabel("Orbit direction").selectOption(orbitDirection);
      await page.click("#search");
      await page.waitForFunction('!document.querySelector("#status")?.textContent?.includes("Searching")');
      return page.textContent("#status");
    };
    expect(await searchFor({ Platform: platform, "Product type": type }, orbit)).toBe("2 products found");
    expect(await searchFor({ "Relative orbit": String(relorbit) }, orbit)).toBe("1 product found");
    expect(await page.locator("#results li").first().getAttribute("data-item")).toBe(product.name);
    const url = new URL(page.url()).searchParams;
    expect([url.get("platform"), url.get("type"), url.get("orbit"), url.get("relorbit")]).toEqual([
      platform,
      type,
      orbit,
      String(relorbit),
    ]);
    expect(await searchFor({}, other)).toBe("0 products found");
    expect(await searchFor({ "Relative orbit": "", Platform: "no-such-platform" }, "")).toBe(
      "0 products found",
    );
    // The URL alone gives the same search, the form filled from it.
    const shared = new URL(page.url());
    shared.search = `?platform=${platform}&type=${type}&orbit=${orbit}&relorbit=${relorbit}`;
    await page.goto(shared.href);
    await statusIs(page, "1 product found");
    expect(await page.getByLabel("Orbit direction").inputValue()).toBe(orbit);
    expect(await page.getByLabel("Relative orbit").inputValue()).toBe(String(relorbit));
    await page.screenshot({ path: `${SHOTS}/03b-mission-filters.png` });
    await page.close();
  });

  it("sorts by date either way", async () => {
    const sorted = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await sorted.goto(`${stack.api}/`);
    await statusIs(sorted, "2 products found");
    const first = () => sorted.locator("#results li").first().getAttribute("data-item");
    expect(await first()).toBe(product.name);
    await sorted.getByLabel("Sort").selectOption({ label: "Oldest first" });
    await sorted.click("#search");
    await sorted.waitForFunction(
      `document.querySelector("#results li")?.dataset.item === ${JSON.stringify(fiji.name)}`,
    );
    expect(new URL(sorted.url()).searchParams.get("sort")).toBe("+datetime");
    await sorted.close();
  });

  it("pages through the results with the API's next link, and back", async () => {
    const paged = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await paged.goto(`${stack.api}/?limit=1`);
    await statusIs(paged, "2 products found");
    const shown = () => paged.locator("#results li").first().getAttribute("data-item");
    expect(await shown()).toBe(product.name);
    await paged.click("#next-page");
    await paged.waitForFunction(
      `document.querySelector("#results li")?.dataset.item === ${JSON.stringify(fiji.name)}`,
    );
    expect(new URL(paged.url()).searchParams.get("token")).not.toBeNull();
    expect(await paged.locator("#next-page").count()).toBe(0);
    await paged.goBack();
    await paged.waitForFunction(
      `document.querySelector("#results li")?.dataset.item === ${JSON.stringify(product.name)}`,
    );
    await paged.close();
  });

  it("shows the coverage (products per H3 cell) for the filters, and hides it again", async () => {
    const cover = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await cover.goto(`${stack.api}/?coverage=1`);
    await cover.waitForSelector("path.coverage-cell");
    // One cell around each product: central Europe and Fiji (its cell drawn across the antimeridian).
    expect(await cover.locator("path.coverage-cell").count()).toBe(2);
    expect(await cover.getAttribute("#coverage", "aria-pressed")).toBe("true");
    await cover.screenshot({ path: `${SHOTS}/07-coverage.png` });
    await cover.getByLabel("Text", { exact: true }).fill("no-such-word-anywhere");
    await cover.click("#search");
    await cover.waitForFunction('document.querySelectorAll("path.coverage-cell").length === 0');
    await cover.click("#coverage");
    expect(new URL(cover.url()).searchParams.get("coverage")).toBeNull();
    await cover.close();
  });

  it("highlights the footprint of the result under the pointer", async () => {
    const stroke = () =>
      tab.locator(".leaflet-overlay-pane path.leaflet-interactive").first().getAttribute("stroke");
    expect(await stroke()).toBe("#0b5cad");
    await tab.hover("#results li");
    expect(await stroke()).toBe("#c2410c");
    await shot("04-hover");
    await tab.mouse.move(1200, 700);
    expect(await stroke()).toBe("#0b5cad");
  });

  it("opens a product: quicklook, files with size and checksum, the search as code", async () => {
    await tab.click(`#results button.open`);
    await tab.waitForSelector("#item-panel:not([hidden]) #item-title");
    expect(await tab.textContent("#item-title")).toBe(product.name);
    expect(new URL(tab.url()).searchParams.get("item")).toBe(`sentinel-2-l2a/${product.name}`);
    const ql = tab.locator("#item-panel img.quicklook");
    await ql.waitFor();
    await tab.waitForFunction('document.querySelector("#item-panel img.quicklook")?.naturalWidth > 0');
    expect(await tab.locator("#item-panel table.assets tbody tr").count()).toBeGreaterThan(1);
    expect(await tab.textContent("#snippet-curl")).toContain(`curl -s '${stack.api}/search?`);
    expect(await tab.textContent("#snippet-pystac")).toContain(`Client.open("${stack.api}/")`);
    // sentinelsat against the DHuS facade, with the same box, dates and cloud cover as the page's search.
    const sentinelsat = (await tab.textContent("#snippet-sentinelsat")) ?? "";
    expect(sentinelsat).toContain(`SentinelAPI("user", "password", "${stack.api}/dhus/")`);
    expect(sentinelsat).toContain(
      'api.query("POLYGON((10 40,20 40,20 55,10 55,10 40))", date=("20240501", "2024-05-31T23:59:59.999Z"), cloudcoverpercentage=(0, 100))',
    );
    await shot("05-product");
  });

  it("signs in, then downloads a file whose bytes match the catalogue's checksum", async () => {
    const item = (await stack.get(`/collections/sentinel-2-l2a/items/${product.name}`)).body as {
      assets: Record<string, { href: string; type?: string; "file:checksum"?: string }>;
    };
    const [key, asset] = Object.entries(item.assets).find(
      ([, a]) => a["file:checksum"] && /jp2|zip|octet/.test(a.type ?? ""),
    )!;
    const link = tab.locator(`#item-panel a[data-asset="${key}"]`);
    // Signed out: the page says downloads need sign-in, and the link's target refuses an anonymous caller.
    expect(await tab.locator("#item-panel .notice").textContent()).toContain("need sign-in");
    expect((await fetch((await link.getAttribute("href"))!, { redirect: "manual" })).status).toBe(401);
    await tab.getByText("Sign in", { exact: true }).first().click();
    await tab.getByLabel("User").fill(DEMO_USER.user);
    await tab.getByLabel("Password").fill("wrong");
    await tab.locator("#sign-in button[type=submit]").click();
    await tab.getByText("Wrong user or password.").waitFor();
    await tab.getByLabel("Password").fill(DEMO_USER.password);
    await tab.locator("#sign-in button[type=submit]").click();
    await tab.getByText(`Signed in as ${DEMO_USER.user}`).waitFor();
    await tab.waitForFunction('!document.querySelector("#item-panel .notice")');
    await shot("06-signed-in");
    const [download] = await Promise.all([tab.waitForEvent("download"), link.click()]);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.length).toBeGreaterThan(0);
    // A multihash: sha2-256 (0x12, 32 bytes) or md5 (0xd5 0x01, 16 bytes).
    const checksum = asset!["file:checksum"]!;
    const [prefix, algorithm] = checksum.startsWith("1220") ? ["1220", "sha256"] : ["d50110", "md5"];
    expect(`${prefix}${createHash(algorithm).update(bytes).digest("hex")}`).toBe(checksum);
  });

  it("collects a product in the basket and gives the server's download list, whose checksums match", async () => {
    await tab.click("#results button.to-basket");
    expect(await tab.textContent("#basket-summary")).toBe("Basket (1)");
    const [download, asked] = await Promise.all([
      tab.waitForEvent("download"),
      tab.waitForRequest((r) => new URL(r.url()).pathname === "/search/download-list"),
      tab.click("#basket-list"),
    ]);
    // The page asked the API for the list, with the basket's ids and the signed-in user's credentials.
    expect(asked.method()).toBe("POST");
    expect(asked.postDataJSON()).toEqual({ ids: [{ collection: "sentinel-2-l2a", id: product.name }] });
    expect(asked.headers()["authorization"]).toMatch(/^Basic /);
    const list = readFileSync((await download.path())!, "utf8");
    await shot("08-basket");
    expect(list).toMatch(/^# hexarchive download list, /);
    expect(await status()).toContain("links renew themselves");
    // aria2 input: a URL line, then indented options for it.
    const entries: { url: string; options: Record<string, string> }[] = [];
    for (const line of list.split("\n")) {
      if (line === "" || line.startsWith("#")) continue;
      if (!line.startsWith(" ")) entries.push({ url: line, options: {} });
      else {
        const [k = "", ...v] = line.trim().split("=");
        entries[entries.length - 1]!.options[k] = v.join("=");
      }
    }
    const item = (await stack.get(`/collections/sentinel-2-l2a/items/${product.name}`)).body as {
      assets: Record<string, unknown>;
    };
    expect(entries.map((e) => refreshLink(e.url)).sort()).toEqual(Object.keys(item.assets).sort());
    for (const e of entries) expect(e.options["out"], e.url).toMatch(new RegExp(`^${product.name}/`));
    const checked = entries.filter((e) => e.options["checksum"]);
    expect(checked.length).toBeGreaterThan(0);
    for (const e of checked) {
      // The links are signed for the signed-in user: they work without credentials, as aria2 fetches them.
      const res = await fetch(e.url);
      expect(res.status, e.url).toBe(200);
      const [algorithm = "", hex] = e.options["checksum"]!.split("=");
      const node = { "sha-256": "sha256", md5: "md5", "sha-1": "sha1", "sha-512": "sha512" }[algorithm]!;
      expect(
        createHash(node)
          .update(Buffer.from(await res.arrayBuffer()))
          .digest("hex"),
        e.url,
      ).toBe(hex);
    }
  });
  it("gives the basket as the server's Metalink 4 file that parses, names every file with its size, and whose hashes match", async () => {
    expect(await tab.textContent("#basket-summary")).toBe("Basket (1)");
    const [download] = await Promise.all([tab.waitForEvent("download"), tab.click("#basket-metalink")]);
    expect(download.suggestedFilename()).toBe("hexarchive-basket.meta4");
    const xml = readFileSync((await download.path())!, "utf8");
    // Parsed by the browser's own XML parser: a parse error would come back as a <parsererror> document.
    const parsed = await tab.evaluate<{
      root: string;
      ns: string | null;
      errors: number;
      generator: string | undefined;
      files: { name: string; size: string; hash?: string; type?: string; url: string }[];
    }>(`(() => {
      const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, "application/xml");
      const ns = "urn:ietf:params:xml:ns:metalink";
      const text = (f, n) => f.getElementsByTagNameNS(ns, n)[0]?.textContent ?? undefined;
      return {
        root: doc.documentElement.localName,
        ns: doc.documentElement.namespaceURI,
        errors: doc.getElementsByTagName("parsererror").length,
        generator: text(doc.documentElement, "generator"),
        files: [...doc.getElementsByTagNameNS(ns, "file")].map((f) => ({
          name: f.getAttribute("name"),
          size: text(f, "size"),
          hash: text(f, "hash"),
          type: f.getElementsByTagNameNS(ns, "hash")[0]?.getAttribute("type") ?? undefined,
          url: text(f, "url"),
        })),
      };
    })()`);
    expect([parsed.root, parsed.ns, parsed.errors, parsed.generator]).toEqual([
      "metalink",
      "urn:ietf:params:xml:ns:metalink",
      0,
      "hexarchive",
    ]);
    const item = (await stack.get(`/collections/sentinel-2-l2a/items/${product.name}`)).body as {
      assets: Record<string, { "file:size"?: number; "file:checksum"?: string; roles?: string[] }>;
    };
    const assets = Object.entries(item.assets);
    expect(parsed.files).toHaveLength(assets.length);
    for (const [key, asset] of assets) {
      const file = parsed.files.find((f) => refreshLink(f.url) === key);
      expect(file, key).toBeDefined();
      expect(file!.name.startsWith(`${product.name}/`), file!.name).toBe(true);
      // Previews go without size or hash (the API may convert them on the way out); a file inside the
      // product has the size of its zip member even where the item names none.
      if (asset.roles?.includes("thumbnail")) expect(file!.size, key).toBeUndefined();
      else if (asset["file:size"] !== undefined) expect(Number(file!.size), key).toBe(asset["file:size"]);
      else expect(Number(file!.size), key).toBeGreaterThan(0);
    }
    const hashed = parsed.files.filter((f) => f.hash);
    expect(hashed.length).toBeGreaterThan(0);
    for (const f of hashed) {
      const res = await fetch(f.url);
      expect(res.status, f.url).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length, f.name).toBe(Number(f.size));
      const node = { "sha-256": "sha256", md5: "md5", "sha-1": "sha1", "sha-512": "sha512" }[f.type!]!;
      expect(createHash(node).update(bytes).digest("hex"), f.name).toBe(f.hash);
    }
  });
  it("writes the list in the browser only when the server cannot, and says its links are short-lived", async () => {
    // An API without the route (older, or behind a front that does not pass it): a refusal the local
    // stack cannot give, so the answer is faked in the browser.
    await tab.route("**/search/download-list*", (r) =>
      r.fulfill({
        status: 404,
        contentType: "application/json",
        body: JSON.stringify({ code: "NotFound", description: "no route POST /search/download-list" }),
      }),
    );
    try {
      const [download] = await Promise.all([tab.waitForEvent("download"), tab.click("#basket-list")]);
      const list = readFileSync((await download.path())!, "utf8");
      expect(list).toMatch(/^# hexarchive basket, 1 products, /);
      expect(list).toContain("checksum=");
      expect(await status()).toContain(
        "made in this browser (the server's was refused: no route POST /search/download-list)",
      );
    } finally {
      await tab.unroute("**/search/download-list*");
    }
  });
  it("shows operators (and only them) the ingest failures as a table", async () => {
    await stack.upload("notes/readme.txt", "not a product", "text/plain");
    // The demo user is signed in on the main tab, and is no operator.
    await tab.reload();
    await tab.getByText(`Signed in as ${DEMO_USER.user}`).waitFor();
    await tab.waitForFunction('document.querySelector("#status")?.textContent?.includes("found")');
    expect(await tab.locator("#operators").count()).toBe(0);
    const ops = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await ops.goto(`${stack.api}/`);
    await statusIs(ops, "2 products found");
    expect(await ops.locator("#operators").count()).toBe(0);
    await ops.getByText("Sign in", { exact: true }).first().click();
    await ops.getByLabel("User").fill(DEMO_OPERATOR.user);
    await ops.getByLabel("Password").fill(DEMO_OPERATOR.password);
    await ops.locator("#sign-in button[type=submit]").click();
    await ops.locator("#operators summary").click();
    const rows = ops.locator("#operators table.failures tbody tr");
    await rows.first().waitFor();
    const basic = Buffer.from(`${DEMO_OPERATOR.user}:${DEMO_OPERATOR.password}`).toString("base64");
    const failures = (await stack.get("/admin/failures", { headers: { authorization: `Basic ${basic}` } }))
      .body as { failures: { key: string; code: string }[] };
    expect(await rows.count()).toBe(failures.failures.length);
    const row = rows.filter({ hasText: "notes/readme.txt" });
    expect(await row.count()).toBe(1);
    const code = failures.failures.find((f) => f.key === "notes/readme.txt")!.code;
    expect(await row.locator("td").nth(1).textContent()).toBe(code);
    await ops.screenshot({ path: `${SHOTS}/09-operators.png` });
    await ops.close();
  });
});
