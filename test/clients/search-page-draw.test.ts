// The search page's areas in headless Chromium against the local stack: a polygon drawn with the mouse
// and with the keyboard, WKT and GeoJSON pasted (and refused with a message naming the fault), a country
// picked from the packaged outlines; the page's Content-Security-Policy, under which all of it runs
// without a violation. Screenshots go to test-artifacts/search-page/.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { chromiumInstalled, launchChromium } from "../support/chromium.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const haveChromium = chromiumInstalled("search page area tests");

const SHOTS = "test-artifacts/search-page";
const NAVIGATION_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

let stack: TestStack;
let browser: Browser;
// Footprint 14.5–15.9°E, 51.5–52.5°N: western Poland (dev/synthetic/sentinel-2-names.ts).
const poland = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:06:31.024Z" });
// Across the antimeridian, off Fiji's Vanua Levu.
const fiji = generateSentinel2Product({
  tile: "01KAB",
  datetime: "2023-01-05T22:19:41.024Z",
  footprint: [
    [179.4, -17.2],
    [-179.6, -17.2],
    [-179.6, -16.3],
    [179.4, -16.3],
  ],
});

/** Every page's Content-Security-Policy violations and console errors, checked at the end. */
const violations: string[] = [];

async function openPage(query = "", record = true): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(
    `document.addEventListener("securitypolicyviolation", (e) => { (window.__csp ??= []).push(e.violatedDirective + " " + e.blockedURI); });`,
  );
  page.on("pageerror", (err) => violations.push(`page error: ${err.message}`));
  page.on("console", (m) => {
    if (record && m.type() === "error") violations.push(`console: ${m.text()}`);
  });
  await page.goto(`${stack.api}/${query}`);
  await page.waitForSelector("#map[data-basemap=loaded]");
  return page;
}

async function closePage(page: Page): Promise<void> {
  violations.push(...((await page.evaluate("window.__csp ?? []")) as string[]));
  await page.close();
}

/**
 * Waits for the status line to read `text`. Polled from outside: Playwright's waitForFunction evaluates
 * its predicate with eval, which the page's Content-Security-Policy rightly refuses.
 */
/** How long the page may take to show what a poll waits for (a loaded CI machine takes seconds). */
const UI_WAIT = { timeout: 15_000 };
const statusIs = (p: Page, text: string) => expect.poll(() => p.textContent("#status"), UI_WAIT).toBe(text);
const footprints = (p: Page) => p.locator(".leaflet-overlay-pane path.leaflet-interactive").count();
const areaParam = (p: Page) => new URL(p.url()).searchParams.get("area");

/**
 * Where a point lies on the page at the opening view (Leaflet: centre 30°N 0°E, zoom 2, Web Mercator,
 * 256 px tiles): the tests click where a person would aim.
 */
async function pixel(p: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  const box = (await p.locator("#map").boundingBox())!;
  const world = 256 * 2 ** 2;
  const merc = (φ: number) => Math.log(Math.tan(Math.PI / 4 + (φ * Math.PI) / 360));
  return {
    x: box.x + box.width / 2 + (lon / 360) * world,
    y: box.y + box.height / 2 - ((merc(lat) - merc(30)) * world) / (2 * Math.PI),
  };
}

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  stack = await startTestStack();
  await stack.upload(poland.key, poland.bytes, "application/zip");
  await stack.upload(fiji.key, fiji.bytes, "application/zip");
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.skipIf(!haveChromium)("search areas on the page", () => {
  it("draws a polygon with the mouse: the product inside is found, one drawn elsewhere finds nothing", async () => {
    const page = await openPage();
    await statusIs(page, "2 products found");
    await page.click("#draw-polygon");
    expect(await page.getAttribute("#draw-polygon", "aria-pressed")).toBe("true");
    // Four corners around western Poland; a double-click on the last one finishes.
    for (const [lon, lat] of [
      [8, 47],
      [22, 47],
      [22, 56],
    ] as const) {
      const at = await pixel(page, lon, lat);
      await page.mouse.click(at.x, at.y);
    }
    const last = await pixel(page, 8, 56);
    await page.mouse.dblclick(last.x, last.y);
    await statusIs(page, "1 product found");
    expect(await page.locator("#results li").first().getAttribute("data-item")).toBe(poland.name);
    expect(await footprints(page)).toBe(1);
    expect(await page.locator("path.search-area").count()).toBe(1);
    expect(areaParam(page)).toMatch(/^POLYGON\(\(/);
    expect(new URL(page.url()).searchParams.get("bbox")).toBeNull();
    await page.screenshot({ path: `${SHOTS}/10-polygon-drawn.png` });

    // A triangle over the Atlantic, finished by clicking its first corner again.
    await page.click("#draw-polygon");
    for (const [lon, lat] of [
      [-40, 10],
      [-20, 10],
      [-30, 30],
      [-40, 10],
    ] as const) {
      const at = await pixel(page, lon, lat);
      await page.mouse.click(at.x, at.y);
    }
    await statusIs(page, "0 products found");
    expect(await footprints(page)).toBe(0);

    // Escape gives up a polygon half drawn: the search stays as it was.
    const before = page.url();
    await page.click("#draw-polygon");
    for (const [lon, lat] of [
      [100, 10],
      [120, 10],
    ] as const) {
      const at = await pixel(page, lon, lat);
      await page.mouse.click(at.x, at.y);
    }
    await page.keyboard.press("Escape");
    expect(await page.getAttribute("#draw-polygon", "aria-pressed")).toBe("false");
    expect(await page.textContent("#draw-announce")).toBe("Drawing cancelled.");
    expect(page.url()).toBe(before);

    // Enter finishes a polygon clicked with the mouse.
    await page.click("#draw-polygon");
    for (const [lon, lat] of [
      [10, 48],
      [20, 48],
      [15, 58],
    ] as const) {
      const at = await pixel(page, lon, lat);
      await page.mouse.click(at.x, at.y);
    }
    await page.keyboard.press("Enter");
    await statusIs(page, "1 product found");

    // Back returns to the triangle over the Atlantic, and the URL alone gives it again.
    await page.goBack();
    await statusIs(page, "0 products found");
    const shared = await openPage(new URL(page.url()).search);
    await statusIs(shared, "0 products found");
    expect(await shared.locator("path.search-area").count()).toBe(1);
    await closePage(shared);
    await closePage(page);
  });

  it("draws a polygon with the keyboard alone, each step announced", async () => {
    const page = await openPage();
    await statusIs(page, "2 products found");
    await page.focus("#draw-polygon");
    await page.keyboard.press("Enter");
    // The map takes the focus, and says how to draw.
    expect(await page.evaluate("document.activeElement?.id")).toBe("map");
    expect(await page.textContent("#draw-announce")).toContain("arrow keys");
    // From the centre (30°N 0°E), Shift+arrow moves 50 px (about 17.6° east–west at this zoom).
    const press = async (key: string, times: number) => {
      for (let i = 0; i < times; i++) await page.keyboard.press(key);
    };
    await page.keyboard.press("Space");
    expect(await page.textContent("#draw-announce")).toMatch(/^Corner 1 at 30\.00°N 0\.00°E/);
    await press("Shift+ArrowRight", 3);
    expect(await page.textContent("#draw-announce")).toMatch(/^Cursor at 30\.\d\d°N 52\.7\d°E/);
    await page.keyboard.press("Enter");
    await press("Shift+ArrowUp", 2);
    await page.keyboard.press("Enter");
    await press("Shift+ArrowLeft", 3);
    await page.keyboard.press("Enter");
    expect(await page.textContent("#draw-announce")).toContain("Corner 4");
    // Enter again on the same spot finishes.
    await page.keyboard.press("Enter");
    expect(await page.textContent("#draw-announce")).toBe("Polygon of 4 corners finished.");
    await statusIs(page, "1 product found");
    expect(await page.locator("#results li").first().getAttribute("data-item")).toBe(poland.name);
    expect(areaParam(page)).toMatch(/^POLYGON\(\(/);
    await page.screenshot({ path: `${SHOTS}/11-polygon-keyboard.png` });
    await closePage(page);
  });

  it("refuses pasted WKT that cannot be used, naming the fault, and searches what can", async () => {
    const page = await openPage();
    await statusIs(page, "2 products found");
    const paste = async (text: string) => {
      await page.getByLabel("Area (WKT or GeoJSON)").fill(text);
      await page.click("#search");
    };
    await paste("POLYGON((10 40, 20 40, 20 55, 10 55))");
    const error = page.locator("#f-geometry-error");
    await expect
      .poll(() => error.textContent())
      .toBe(
        "The area cannot be used: polygon 1, ring 1 is not closed: it starts at 10 40 and ends at 10 55; repeat the first point at the end.",
      );
    expect(await error.isVisible()).toBe(true);
    expect(await page.getAttribute("#f-geometry", "aria-invalid")).toBe("true");
    expect(areaParam(page)).toBeNull();
    await page.screenshot({ path: `${SHOTS}/12-pasted-invalid.png` });
    await paste("POLYGON((10 40, 20 40 30, 20 55, 10 55, 10 40))");
    await expect
      .poll(() => error.textContent())
      .toContain("point 2: 3 numbers; a point is longitude and latitude");
    await paste("POLYGON((10 40, 20 95, 20 55, 10 55, 10 40))");
    await expect.poll(() => error.textContent(), UI_WAIT).toContain("latitude 95 is outside -90..90");
    expect(await page.textContent("#status")).toBe("2 products found");

    // A GeoJSON Feature around western Poland.
    const feature = {
      type: "Feature",
      properties: {},
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [14, 51],
            [16, 51],
            [16, 53],
            [14, 53],
            [14, 51],
          ],
        ],
      },
    };
    await paste(JSON.stringify(feature));
    await statusIs(page, "1 product found");
    expect(await error.textContent()).toBe("");
    expect(areaParam(page)).toBe("POLYGON((14 51,16 51,16 53,14 53,14 51))");

    // 400 points around the same place: simplified to fit the page's URL, and said so.
    const circle = Array.from({ length: 400 }, (_, i) => {
      const t = (2 * Math.PI * i) / 400;
      return `${(15 + 3 * Math.cos(t)).toFixed(5)} ${(52 + 2 * Math.sin(t)).toFixed(5)}`;
    });
    await paste(`POLYGON((${[...circle, circle[0]].join(", ")}))`);
    await statusIs(page, "1 product found");
    expect(await error.textContent()).toMatch(/^The area was simplified from 401 to \d+ points/);
    const kept = (areaParam(page) ?? "").split(",").length;
    expect(kept).toBeGreaterThan(10);
    expect(kept).toBeLessThanOrEqual(250);

    // Across the antimeridian, as the API reads it (a step over 180° crosses it): Fiji's product, drawn as one shape.
    await paste("POLYGON((179 -18, -179 -18, -179 -16, 179 -16, 179 -18))");
    await statusIs(page, "1 product found");
    expect(await page.locator("#results li").first().getAttribute("data-item")).toBe(fiji.name);
    expect(areaParam(page)).toMatch(/^MULTIPOLYGON/);
    // 2° by 2°: about square on the map; split at the two edges of the world it would be far wider than high.
    const area = (await page.locator("path.search-area").boundingBox())!;
    expect(area.width).toBeLessThan(area.height * 1.5);
    await page.screenshot({ path: `${SHOTS}/13-pasted-antimeridian.png` });
    // Shared: the same search from the URL alone.
    const shared = await openPage(new URL(page.url()).search);
    await statusIs(shared, "1 product found");
    await closePage(shared);
    await closePage(page);
  });

  it("searches a country picked in the combobox with its outline, across 180° too", async () => {
    const page = await openPage();
    await statusIs(page, "2 products found");
    const box = page.getByRole("combobox", { name: "Country or region" });
    await box.fill("pol");
    const option = page.getByRole("option", { name: "Poland" });
    await option.waitFor();
    expect(await box.getAttribute("aria-expanded")).toBe("true");
    await box.press("ArrowDown");
    expect(await box.getAttribute("aria-activedescendant")).toBe(await option.getAttribute("id"));
    await box.press("Enter");
    await statusIs(page, "1 product found");
    expect(new URL(page.url()).searchParams.get("country")).toBe("Poland");
    expect(await page.locator("#results li").first().getAttribute("data-item")).toBe(poland.name);
    expect(await page.locator("path.search-area").count()).toBe(1);
    await page.screenshot({ path: `${SHOTS}/14-country.png` });

    // Its neighbour ends south of the product.
    await box.fill("Czechia");
    await page.getByRole("option", { name: "Czechia" }).click();
    await statusIs(page, "0 products found");

    // Fiji and Russia reach across the antimeridian: the API takes their outlines, and Fiji has its product.
    await box.fill("Fiji");
    await page.getByRole("option", { name: "Fiji" }).click();
    await statusIs(page, "1 product found");
    expect(await page.locator("#results li").first().getAttribute("data-item")).toBe(fiji.name);
    // Its islands, about 5° by 4°, drawn together on the map, not at both edges of the world.
    const fijiArea = (await page.locator("path.search-area").boundingBox())!;
    expect(fijiArea.width).toBeLessThan(fijiArea.height * 3);
    await page.screenshot({ path: `${SHOTS}/15-country-fiji.png` });
    await box.fill("Russia");
    await page.getByRole("option", { name: "Russia" }).click();
    await statusIs(page, "0 products found");

    // Back to Fiji; the URL alone gives the country again.
    await page.goBack();
    await statusIs(page, "1 product found");
    expect(await box.inputValue()).toBe("Fiji");
    await closePage(page);
  });
});

describe.skipIf(!haveChromium)("an area's search beyond the first page", () => {
  it("pages through an area's results (POST /search, the token in the next link's body) and back", async () => {
    const both =
      "MULTIPOLYGON(((14 51,16 51,16 53,14 53,14 51)),((179 -18,180 -18,180 -16,179 -16,179 -18)))";
    const page = await openPage(`?limit=1&area=${encodeURIComponent(both)}`);
    await statusIs(page, "2 products found");
    const shown = () => page.locator("#results li").first().getAttribute("data-item");
    expect(await shown()).toBe(poland.name);
    await page.click("#next-page");
    await expect.poll(shown, UI_WAIT).toBe(fiji.name);
    expect(new URL(page.url()).searchParams.get("token")).not.toBeNull();
    expect(new URL(page.url()).searchParams.get("area")).toBe(both);
    await page.goBack();
    await expect.poll(shown, UI_WAIT).toBe(poland.name);
    await closePage(page);
  });

  it("counts the coverage cells inside a country only, and shows a product's quicklook under the policy", async () => {
    const page = await openPage("?coverage=1&country=Poland");
    await expect.poll(() => page.locator("path.coverage-cell").count(), { timeout: 15_000 }).toBe(1);
    await page.click("#results button.open");
    await page.waitForSelector("#item-panel:not([hidden]) img.quicklook");
    // Served through a redirect to the presign front: the policy must admit it.
    await expect
      .poll(() => page.evaluate('document.querySelector("#item-panel img.quicklook").naturalWidth'), {
        timeout: 15_000,
      })
      .toBeGreaterThan(0);
    // The search as curl repeats the country's outline (POST with intersects), and finds the same product.
    const curl = (await page.textContent("#snippet-curl")) ?? "";
    expect(curl).toContain(`curl -s '${stack.api}/search' -H 'content-type: application/json' -d '`);
    expect(curl).toContain('"intersects":{"type":"MultiPolygon"');
    const { stdout } = await promisify(execFile)("sh", ["-c", curl]);
    expect((JSON.parse(stdout) as { features: { id: string }[] }).features.map((f) => f.id)).toEqual([
      poland.name,
    ]);
    expect(await page.textContent("#snippet-pystac")).toContain('intersects={"type":"MultiPolygon"');
    expect(await page.textContent("#snippet-sentinelsat")).toContain('api.query("POLYGON((');
    await closePage(page);
  });
});

describe.skipIf(!haveChromium)("the page's security headers", () => {
  it("sends a Content-Security-Policy without inline script, and the usual companions", async () => {
    const res = await fetch(`${stack.api}/`, { headers: { accept: NAVIGATION_ACCEPT } });
    const csp = res.headers.get("content-security-policy") ?? "";
    const directives = Object.fromEntries(
      csp.split(";").map((d) => {
        const [name = "", ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives["default-src"]).toEqual(["'none'"]);
    expect(directives["script-src"]).toEqual(["'self'"]);
    expect(directives["style-src"]).toEqual(["'self'"]);
    // The API itself, and the local stack's OIDC issuer that the page signs in with (discovery, tokens).
    expect(directives["connect-src"]).toEqual(["'self'", new URL(stack.endpoints.auth.issuer).origin]);
    expect(directives["frame-ancestors"]).toEqual(["'none'"]);
    expect(directives["base-uri"]).toEqual(["'none'"]);
    // Quicklooks: from the API, from https: (presigned S3 URLs) and here the presign front; no tile host.
    expect(directives["img-src"]).toEqual([
      "'self'",
      "data:",
      "blob:",
      "https:",
      new URL(stack.endpoints.downloads.presignEndpoint).origin,
    ]);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    // Nothing inline that the policy would have to allow.
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|\son[a-z]+=/);
  });

  it("enforces it: an inline script is refused and reported", async () => {
    const page = await openPage("", false);
    await page.evaluate(
      'document.head.append(Object.assign(document.createElement("script"), { textContent: "window.__ran = 1" }))',
    );
    await expect.poll(() => page.evaluate("(window.__csp ?? []).length"), UI_WAIT).toBe(1);
    expect(await page.evaluate("window.__ran ?? 0")).toBe(0);
    await page.close();
  });

  it("and the page ran every test above without a policy violation or console error", () => {
    expect(violations).toEqual([]);
  });
});

describe.skipIf(!haveChromium)("a configured basemap tile service", () => {
  let tiles: Server;
  let tileStack: TestStack;
  const requested: string[] = [];
  // A 1×1 grey PNG for every tile.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg==",
    "base64",
  );

  beforeAll(async () => {
    tiles = createServer((req, res) => {
      requested.push(req.url ?? "");
      res.writeHead(200, { "content-type": "image/png" }).end(png);
    });
    await new Promise<void>((r) => tiles.listen(0, "127.0.0.1", r));
    const origin = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
    tileStack = await startTestStack({
      basemapTiles: { url: `${origin}/tiles/{z}/{x}/{y}.png`, attribution: "Test tiles" },
    });
  }, 120_000);

  afterAll(async () => {
    await tileStack?.close();
    await new Promise((r) => tiles?.close(r));
  });

  it("draws the map from the tiles, admitted by the page's policy, and credits them", async () => {
    const origin = `http://127.0.0.1:${(tiles.address() as AddressInfo).port}`;
    const res = await fetch(`${tileStack.api}/`, { headers: { accept: NAVIGATION_ACCEPT } });
    expect(res.headers.get("content-security-policy")).toContain(` ${origin}`);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(
      `document.addEventListener("securitypolicyviolation", (e) => { (window.__csp ??= []).push(e.violatedDirective + " " + e.blockedURI); });`,
    );
    await page.goto(`${tileStack.api}/`);
    await page.waitForSelector("#map[data-basemap=loaded]");
    expect(requested.some((u) => /^\/tiles\/2\/\d+\/\d+\.png$/.test(u))).toBe(true);
    expect(await page.locator("img.leaflet-tile-loaded").count()).toBeGreaterThan(0);
    expect(await page.textContent(".leaflet-control-attribution")).toContain("Test tiles");
    expect(await page.evaluate("window.__csp ?? []")).toEqual([]);
    await page.close();
  });
});
