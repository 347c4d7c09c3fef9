// The search page in headless Chromium against the local stack, for what a product holds and what
// operators see: the files inside a product as a tree, one file and the whole product downloaded and
// checked against the product archive, and the operators' charts (their data tables equal to what the
// statistics API answers) with the coverage map of one collection. Screenshots go to test-artifacts/.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OPERATOR, DEMO_USER } from "../../dev/local/auth-issuer.ts";
import { generateProduct } from "../../dev/synthetic/index.ts";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
import { bytesReader, openZip, readZipMember } from "../../shared/zip/index.ts";
import { chromiumInstalled, launchChromium } from "../support/chromium.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const haveChromium = chromiumInstalled("search page tests (files, operators)");

const SHOTS = "test-artifacts/search-page";
const product = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:06:31.024Z" });
// Far from the optical product: its coverage cell is a cell of its own.
const radar = generateProduct({
  mission: "sentinel-1",
  datetime: "2024-05-12T05:07:31.000Z",
  footprint: [
    [-60, -10],
    [-57, -10],
    [-57, -8],
    [-60, -8],
  ],
});
const itemPath = `/collections/sentinel-2-l2a/items/${product.name}`;

let stack: TestStack;
let browser: Browser;

const basic = (u: { user: string; password: string }) =>
  `Basic ${Buffer.from(`${u.user}:${u.password}`).toString("base64")}`;
// Page-side code is passed as strings: the tests are type-checked without the DOM library.
const statusFound = (p: Page) =>
  expect
    .poll(() => p.evaluate('document.querySelector("#status")?.textContent?.includes("found")'), {
      timeout: 15_000,
    })
    .toBeTruthy();

async function signIn(p: Page, u: { user: string; password: string }): Promise<void> {
  await p.getByText("Sign in", { exact: true }).first().click();
  await p.getByLabel("User").fill(u.user);
  await p.getByLabel("Password").fill(u.password);
  await p.locator("#sign-in button[type=submit]").click();
  await p.getByText(`Signed in as ${u.user}`).waitFor();
}

/** The bytes of one file as the product archive holds it. */
async function zipped(path: string): Promise<Buffer> {
  const zip = await openZip(bytesReader(product.bytes));
  const entry = zip.entries.find((e) => e.name === `${product.name}.SAFE/${path}`)!;
  return Buffer.from(await readZipMember(zip, entry));
}

const multihash = (bytes: Buffer, checksum: string) => {
  const [prefix, algorithm] = checksum.startsWith("1220") ? ["1220", "sha256"] : ["d50110", "md5"];
  return `${prefix}${createHash(algorithm).update(bytes).digest("hex")}`;
};

beforeAll(async () => {
  if (!haveChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  // As deployed by default: anyone searches, downloads need sign-in.
  stack = await startTestStack({ access: DEFAULT_ACCESS });
  await stack.upload(product.key, product.bytes, "application/zip");
  await stack.upload(radar.key, radar.bytes, radar.contentType);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.skipIf(!haveChromium)("a product's files in the item panel", () => {
  it("lists the files inside the product as a tree once signed in, and downloads one and the whole product", async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await tab.goto(`${stack.api}/?item=sentinel-2-l2a/${product.name}`);
    await tab.waitForSelector("#item-panel:not([hidden]) #item-title");
    // Signed out: the list needs download access, and the page says so.
    await tab.getByText("Sign in to list and download the files inside the product.").waitFor();
    await signIn(tab, DEMO_USER);
    const files = (
      (await stack.get(`${itemPath}/files`, { headers: { authorization: basic(DEMO_USER) } })).body as {
        files: { path: string; size: number }[];
      }
    ).files;
    const shown = tab.locator("#product-files li.file");
    await shown.first().waitFor({ state: "attached" });
    expect(await shown.count()).toBe(files.length);
    const total = files.reduce((n, f) => n + f.size, 0);
    expect(await tab.locator("#product-files .files > p").textContent()).toBe(
      `${files.length} files, ${(total / 1000).toFixed(1)} KB in ${product.name}.SAFE`,
    );
    // A file two folders down: open the folders, then its link.
    const nested = files.find((f) => /^GRANULE\/[^/]+\/MTD_TL\.xml$/.test(f.path))!;
    const [granule, tile] = nested.path.split("/");
    await tab
      .locator("#product-files summary", { hasText: `${granule}/` })
      .first()
      .click();
    await tab
      .locator("#product-files summary", { hasText: `${tile}/` })
      .first()
      .click();
    const entry = tab.locator(`#product-files li.file[data-path="${nested.path}"]`);
    expect(await entry.locator(".size").textContent()).toBe(
      nested.size < 1000 ? `${nested.size} B` : `${(nested.size / 1000).toFixed(1)} KB`,
    );
    await tab.screenshot({ path: `${SHOTS}/10-product-files.png` });
    const [one] = await Promise.all([tab.waitForEvent("download"), entry.locator("a").click()]);
    expect(readFileSync((await one.path())!)).toEqual(await zipped(nested.path));
    // The link works only for its file, and only signed (the page holds the credentials, not the link).
    const href = (await entry.locator("a").getAttribute("href"))!;
    expect(href).toMatch(/\?signature=/);
    expect((await fetch(href.replace(/\?signature=.*/, ""), { redirect: "manual" })).status).toBe(401);

    // The whole product: the bytes uploaded, and the checksum the catalogue states.
    const item = (await stack.get(itemPath)).body as { assets: Record<string, { "file:checksum"?: string }> };
    const checksum = item.assets["product"]!["file:checksum"]!;
    const button = tab.locator("#download-product");
    expect(await button.textContent()).toMatch(/^Download the whole product \([\d.]+ KB\)$/);
    const [whole] = await Promise.all([tab.waitForEvent("download"), button.click()]);
    const bytes = readFileSync((await whole.path())!);
    expect(multihash(bytes, checksum)).toBe(checksum);
    expect(bytes.equals(Buffer.from(product.bytes))).toBe(true);
    await tab.close();
  });
});

describe.skipIf(!haveChromium)("the operators' charts and coverage", () => {
  beforeAll(async () => {
    if (!haveChromium) return;
    // Downloads by two users (the product twice: distinct users 2) and a few searches.
    const demo = { headers: { authorization: basic(DEMO_USER) } };
    const ops = { headers: { authorization: basic(DEMO_OPERATOR) } };
    for (const [path, who] of [
      [`${itemPath}/assets/product`, demo],
      [`${itemPath}/assets/product`, ops],
      [`${itemPath}/files/manifest.safe`, ops],
      [`/collections/sentinel-1-grd/items/${radar.name}/assets/product`, demo],
    ] as const)
      expect((await stack.get(path, who)).status, path).toBeLessThan(400);
    for (const q of ["bbox=14,49,15,50", "bbox=0,0,1,1&datetime=2024-01-01T00:00:00Z/..", "ids=x&limit=3"])
      expect((await stack.get(`/search?${q}`)).status).toBe(200);
  });

  const tableRows = (p: Page, chart: string) =>
    p.evaluate<string[][]>(
      `[...document.querySelectorAll("#${chart} table tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent))`,
    );

  it("show an operator (and nobody else) downloads per month and collection, top products with distinct users, and search parameters, as the API counts them", async () => {
    // A signed-in user who is no operator: the API refuses them, and the page shows nothing of it.
    const other = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await other.goto(`${stack.api}/`);
    await statusFound(other);
    const refused = other.waitForResponse((r) => r.url().endsWith("/admin/failures"));
    await signIn(other, DEMO_USER);
    expect((await refused).status()).toBe(403);
    await statusFound(other);
    await other.waitForLoadState("networkidle");
    expect(await other.locator("#operator-stats").count()).toBe(0);
    expect(await other.locator("figure.chart").count()).toBe(0);
    await other.close();

    const tab = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await tab.goto(`${stack.api}/`);
    await statusFound(tab);
    await signIn(tab, DEMO_OPERATOR);
    await statusFound(tab);
    await tab.locator("#operator-stats summary").first().click();
    await tab.waitForSelector("#chart-downloads svg rect");
    // Loaded again now that the page's own searches are done, so the counts compare with the API's.
    const year = new Date().getUTCFullYear();
    await tab.selectOption("#ops-year", String(year - 1));
    await tab.locator("#chart-downloads", { hasText: "No downloads in this period." }).waitFor();
    await tab.selectOption("#ops-year", String(year));
    await tab.waitForSelector("#chart-downloads svg rect");
    const period = `from=${year}-01-01&to=${year}-12-31`;
    const ask = async <T>(path: string) =>
      (await stack.get(path, { headers: { authorization: basic(DEMO_OPERATOR) } })).body as T;
    type Counted = { collection: string; downloads: number; bytes: number };

    const downloads = await ask<{ downloads: number; byCollectionAndMonth: (Counted & { month: string })[] }>(
      `/admin/stats/downloads?${period}`,
    );
    expect(downloads.downloads).toBeGreaterThanOrEqual(4);
    expect(await tableRows(tab, "chart-downloads")).toEqual(
      downloads.byCollectionAndMonth.map((r) => [
        r.month,
        r.collection,
        String(r.downloads),
        String(r.bytes),
      ]),
    );
    const drawn = await tab.evaluate<number>(
      '[...document.querySelectorAll("#chart-downloads svg rect")].reduce((n, r) => n + Number(r.dataset.value), 0)',
    );
    expect(drawn).toBe(downloads.downloads);
    expect(await tab.locator("#chart-downloads .legend li").allTextContents()).toEqual([
      "sentinel-1-grd",
      "sentinel-2-l2a",
    ]);

    const top = await ask<{ products: (Counted & { item: string; users: number })[] }>(
      `/admin/stats/top-products?${period}&limit=10`,
    );
    const rows = await tableRows(tab, "chart-top-products");
    expect(rows).toEqual(
      top.products.map((p) => [p.item, p.collection, String(p.downloads), String(p.users), String(p.bytes)]),
    );
    // The product downloaded by both users: two distinct users.
    expect(rows.find((r) => r[0] === product.name)?.[3]).toBe("2");
    expect(await tab.locator("#chart-top-products svg rect").count()).toBe(top.products.length);

    const params = await ask<{ parameters: Record<string, number> }>(`/admin/stats/search-params?${period}`);
    const used = await tableRows(tab, "chart-search-params");
    expect(Object.fromEntries(used.map(([k, v]) => [k, Number(v)]))).toEqual(params.parameters);
    expect(params.parameters["bbox"]).toBeGreaterThanOrEqual(2);
    // Each chart is a titled figure whose picture is described for screen readers.
    for (const id of ["chart-downloads", "chart-top-products", "chart-search-params"]) {
      const label = await tab.getAttribute(`#${id} svg`, "aria-label");
      expect(label, id).toContain(((await tab.textContent(`#${id} h4`)) ?? "").trim());
    }
    await tab.locator("#operator-stats").scrollIntoViewIfNeeded();
    await tab.screenshot({ path: `${SHOTS}/11-operator-charts.png`, fullPage: true });
    await tab.close();
  });

  it("show an operator the coverage map of the collection they pick", async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await tab.goto(`${stack.api}/?coverage=1`);
    await signIn(tab, DEMO_OPERATOR);
    await expect
      .poll(() => tab.evaluate('document.querySelectorAll("path.coverage-cell").length === 2'), {
        timeout: 15_000,
      })
      .toBeTruthy();
    await tab.locator("#operator-stats summary").first().click();
    await tab.getByLabel("Coverage map of the collection").selectOption("sentinel-1-grd");
    await tab.click("#ops-coverage-show");
    await expect
      .poll(
        () => tab.evaluate('new URL(location.href).searchParams.get("collections") === "sentinel-1-grd"'),
        { timeout: 15_000 },
      )
      .toBeTruthy();
    expect(new URL(tab.url()).searchParams.get("coverage")).toBe("1");
    await expect
      .poll(() => tab.evaluate('document.querySelectorAll("path.coverage-cell").length === 1'), {
        timeout: 15_000,
      })
      .toBeTruthy();
    await tab.screenshot({ path: `${SHOTS}/12-operator-coverage.png` });
    await tab.close();
  });
});

describe.skipIf(!haveChromium)("signing in through the OIDC issuer", () => {
  it("signs in with the authorization code and PKCE, comes back to the same product, and downloads with the token", async () => {
    const tab = await browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await tab.goto(`${stack.api}/?item=sentinel-2-l2a/${product.name}`);
    await tab.waitForSelector("#item-panel:not([hidden]) #item-title");
    await tab.click("#oidc-sign-in");
    // The issuer's own sign-in page, on its own origin.
    await tab.waitForURL((u) => u.pathname === "/authorize");
    const authorize = new URL(tab.url());
    expect(authorize.origin).toBe(new URL(stack.endpoints.auth.issuer).origin);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    await tab.getByLabel("User").fill(DEMO_USER.user);
    await tab.getByLabel("Password").fill("wrong");
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.getByText("Wrong user or password.").waitFor();
    await tab.getByLabel("Password").fill(DEMO_USER.password);
    const listed = tab.waitForRequest((r) => r.url().endsWith(`${itemPath}/files`));
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.getByText(`Signed in as ${DEMO_USER.user}`).waitFor();
    // Back where it was, without the code in the URL; the API is called with the issuer's token.
    const back = new URL(tab.url());
    expect([back.origin, back.searchParams.get("item"), back.searchParams.get("code")]).toEqual([
      new URL(stack.api).origin,
      `sentinel-2-l2a/${product.name}`,
      null,
    ]);
    expect((await (await listed).allHeaders())["authorization"]).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    await tab.locator("#product-files li.file").first().waitFor({ state: "attached" });
    const [whole] = await Promise.all([tab.waitForEvent("download"), tab.click("#download-product")]);
    expect(readFileSync((await whole.path())!).equals(Buffer.from(product.bytes))).toBe(true);
    await tab.screenshot({ path: `${SHOTS}/13-oidc-signed-in.png` });
    await tab.close();
  });
});
