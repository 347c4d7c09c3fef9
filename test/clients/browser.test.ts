import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { chromiumInstalled, launchChromium } from "../support/chromium.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const haveChromium = chromiumInstalled("browser tests");

let stack: TestStack;
let browser: Browser;
let page: Server;
let pageUrl: string;
const product = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:06:31.024Z" });

beforeAll(async () => {
  if (!haveChromium) return;
  stack = await startTestStack();
  await stack.upload(product.key, product.bytes, "application/zip");
  browser = await launchChromium();
  // A page served from another origin, as a browser-based STAC client would be.
  page = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!doctype html><title>client</title><p>client</p>");
  });
  await new Promise<void>((r) => page.listen(0, "127.0.0.1", r));
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  page?.close();
  await stack?.close();
});

describe.skipIf(!haveChromium)("in Chromium", () => {
  it("shows the search page at the printed URL, and the landing JSON to a script on it", async () => {
    const tab = await browser.newPage();
    const res = await tab.goto(`${stack.api}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()["content-type"]).toContain("text/html");
    await tab.waitForSelector("#search-form");
    // fetch() sends Accept: */*, as STAC clients in a page do: they get the JSON.
    const text = await tab.evaluate(async (api) => (await fetch(`${api}/`)).text(), stack.api);
    expect(text).toContain('"type":"Catalog"');
    expect(text).toContain("/search");
    await tab.close();
  });

  it("renders the API description as a readable page", async () => {
    const tab = await browser.newPage();
    await tab.goto(`${stack.api}/api.html`);
    const text = (await tab.textContent("body")) ?? "";
    expect(text).toContain("/search");
    expect(text).toContain("/collections/{collectionId}/items");
    await tab.close();
  });

  it("lets a page on another origin search the API (CORS)", async () => {
    const tab = await browser.newPage();
    await tab.goto(pageUrl);
    const found = await tab.evaluate(async (api) => {
      const res = await fetch(`${api}/search`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ bbox: [-180, -90, 180, 90], limit: 5 }),
      });
      return ((await res.json()) as { features: { id: string }[] }).features.map((f) => f.id);
    }, stack.api);
    expect(found).toEqual([product.name]);
    await tab.close();
  });
});
