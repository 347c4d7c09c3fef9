// Pages bounded by response size (below Lambda's 6 MB limit) as well as by limit, and compressed
// responses when the client accepts them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";
import { allPages, ids, makeCollection, makeItem, seed } from "./seed.ts";

let stack: TestApp;
const BIG = 300_000;
const N = 24;

beforeAll(async () => {
  stack = await startTestApp();
  // Long strings stay out of the index rows but make each full item ~300 KB.
  const items = Array.from({ length: N }, (_, i) =>
    makeItem({
      id: `big-${String(i).padStart(2, "0")}`,
      collection: "big",
      datetime: `2024-03-${String(i + 1).padStart(2, "0")}T00:00:00Z`,
      lon: i,
      lat: 10,
      properties: { description: `${i} ${"x".repeat(BIG)}`, "eo:cloud_cover": i },
    }),
  );
  await seed(stack, [makeCollection("big", "Big items", "Items of about 300 KB each.", [])], items);
});
afterAll(() => stack?.close());

describe("size-bounded pages", () => {
  it("stops a page before 5 MB and continues where it stopped, GET and POST", async () => {
    const first = await stack.get("/search?collections=big&limit=100", {
      headers: { "accept-encoding": "identity" },
    });
    expect(first.status).toBe(200);
    expect(first.body.numberReturned).toBeLessThan(N);
    expect(first.body.numberReturned).toBeGreaterThan(10);
    expect(Number(first.headers.get("content-length"))).toBeLessThan(5_000_000);

    const pages = await allPages(stack, first);
    const all = pages.flatMap((p) => ids(p));
    expect(all).toEqual(Array.from({ length: N }, (_, i) => `big-${String(N - 1 - i).padStart(2, "0")}`));
    const post = await allPages(
      stack,
      await stack.post("/search", {
        collections: ["big"],
        limit: 100,
        sortby: [{ field: "eo:cloud_cover", direction: "asc" }],
      }),
    );
    expect(post.length).toBeGreaterThan(1);
    expect(post[0]).toMatchObject({ numberMatched: N });
    expect(post.flatMap((p) => ids(p))).toEqual([...all].reverse());
  });

  it("still honours a small limit", async () => {
    const res = await stack.get("/collections/big/items?limit=3");
    expect(res.body.numberReturned).toBe(3);
  });
});

describe("compression", () => {
  const raw = async (path: string, encoding: string) => {
    // Node's fetch decodes gzip and br itself; the header shows what the server sent.
    const res = await fetch(`${stack.api}${path}`, { headers: { "accept-encoding": encoding } });
    return { res, body: await res.text() };
  };

  it("gzips or brotli-compresses large bodies the client accepts, and keeps CORS", async () => {
    for (const enc of ["gzip", "br"]) {
      const { res, body } = await raw("/search?collections=big&limit=2", enc);
      expect(res.headers.get("content-encoding")).toBe(enc);
      expect(res.headers.get("vary")).toContain("accept-encoding");
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(Number(res.headers.get("content-length"))).toBeLessThan(body.length / 10);
      expect(JSON.parse(body).features).toHaveLength(2);
    }
    const both = await raw("/search?collections=big&limit=1", "gzip, deflate, br");
    expect(both.res.headers.get("content-encoding")).toBe("br");
  });

  it("sends small bodies and clients that refuse encodings as they are", async () => {
    // A small body (a collection now also describes how to sign in, and passes 1 KB).
    const small = await raw("/collections/no-such-collection", "gzip");
    expect(small.body.length).toBeLessThan(1024);
    expect(small.res.headers.get("content-encoding")).toBeNull();
    expect(
      (await raw("/search?collections=big&limit=1", "identity")).res.headers.get("content-encoding"),
    ).toBeNull();
    expect(
      (await raw("/search?collections=big&limit=1", "gzip;q=0")).res.headers.get("content-encoding"),
    ).toBeNull();
  });
});
