// The walking skeleton end to end: upload with an ordinary S3 client, find with STAC, download through
// a presigned URL — real handlers, real emulators, real HTTP.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;

const prague = generateSentinel2Product({
  platform: "S2A",
  level: "L2A",
  tile: "33UVR",
  datetime: "2024-05-14T10:06:31.024Z",
  footprint: [
    [14.0, 49.6],
    [15.0, 49.6],
    [15.0, 50.4],
    [14.0, 50.4],
  ],
  cloudCover: 10,
});
const munich = generateSentinel2Product({
  platform: "S2B",
  level: "L1C",
  tile: "32UPU",
  datetime: "2023-08-01T10:20:29.024Z",
  footprint: [
    [11.0, 47.8],
    [12.2, 47.8],
    [12.2, 48.6],
    [11.0, 48.6],
  ],
});
const fiji = generateSentinel2Product({
  platform: "S2B",
  level: "L2A",
  tile: "01KAB",
  datetime: "2024-01-05T22:19:41.024Z",
  footprint: [
    [179.4, -17.2],
    [-179.6, -17.2],
    [-179.6, -16.3],
    [179.4, -16.3],
  ],
});

const ids = (body: { features: { id: string }[] }) => body.features.map((f) => f.id).sort();

beforeAll(async () => {
  stack = await startTestStack();
  for (const p of [prague, munich, fiji]) await stack.upload(p.key, p.bytes, "application/zip");
});
afterAll(() => stack?.close());

describe("landing page and collections", () => {
  it("serves a STAC landing page with links to collections and search", async () => {
    const { status, body } = await stack.get("/");
    expect(status).toBe(200);
    expect(body.type).toBe("Catalog");
    expect(body.conformsTo).toContain("https://api.stacspec.org/v1.0.0/item-search");
    const rels = body.links.map((l: { rel: string }) => l.rel);
    expect(rels).toEqual(expect.arrayContaining(["self", "root", "conformance", "data", "search", "child"]));
    for (const l of body.links) expect(l.href.startsWith(stack.api)).toBe(true);
  });

  it("creates collections from the uploaded product types, with extents", async () => {
    const { body } = await stack.get("/collections");
    const collections = body.collections.map((c: { id: string }) => c.id).sort();
    expect(collections).toEqual(["sentinel-2-l1c", "sentinel-2-l2a"]);
    const l2a = await stack.get("/collections/sentinel-2-l2a");
    expect(l2a.status).toBe(200);
    const [t0, t1] = l2a.body.extent.temporal.interval[0];
    expect(t0 <= "2024-01-05T22:19:41.024Z").toBe(true);
    expect(t1 >= "2024-05-14T10:06:31.024Z").toBe(true);
  });

  it("lists a collection's items and fetches one item with absolute links", async () => {
    const items = await stack.get("/collections/sentinel-2-l2a/items");
    expect(ids(items.body)).toEqual([fiji.name, prague.name].sort());
    const one = await stack.get(`/collections/sentinel-2-l2a/items/${prague.name}`);
    expect(one.status).toBe(200);
    expect(one.body.links.find((l: { rel: string }) => l.rel === "self").href).toBe(
      `${stack.api}/collections/sentinel-2-l2a/items/${prague.name}`,
    );
  });
});

describe("search", () => {
  it("finds by bbox, GET and POST alike", async () => {
    const get = await stack.get("/search?bbox=14.3,49.9,14.6,50.2");
    expect(get.status).toBe(200);
    expect(ids(get.body)).toEqual([prague.name]);
    const post = await stack.post("/search", { bbox: [14.3, 49.9, 14.6, 50.2] });
    expect(ids(post.body)).toEqual([prague.name]);
  });

  it("finds by intersects with a point and a polygon, and not just next to a footprint", async () => {
    const inside = await stack.post("/search", { intersects: { type: "Point", coordinates: [11.5, 48.1] } });
    expect(ids(inside.body)).toEqual([munich.name]);
    const outside = await stack.post("/search", { intersects: { type: "Point", coordinates: [12.3, 48.1] } });
    expect(ids(outside.body)).toEqual([]);
    const poly = await stack.post("/search", {
      intersects: {
        type: "Polygon",
        coordinates: [
          [
            [12.1, 48.5],
            [14.1, 49.7],
            [14.1, 49.8],
            [12.1, 48.55],
            [12.1, 48.5],
          ],
        ],
      },
    });
    expect(ids(poly.body)).toEqual([munich.name, prague.name].sort());
  });

  it("handles footprints and boxes across the antimeridian", async () => {
    for (const bbox of ["179,-17,180,-16.5", "-180,-17,-179.7,-16.5", "179.9,-17,-179.9,-16.5"]) {
      const res = await stack.get(`/search?bbox=${bbox}`);
      expect(ids(res.body), bbox).toEqual([fiji.name]);
    }
    expect(ids((await stack.get("/search?bbox=170,-17,179.3,-16.5")).body)).toEqual([]);
  });

  it("filters by datetime instants and open or closed intervals", async () => {
    const year2024 = await stack.get("/search?datetime=2024-01-01T00:00:00Z/2024-12-31T23:59:59Z");
    expect(ids(year2024.body)).toEqual([fiji.name, prague.name].sort());
    const before = await stack.get("/search?datetime=../2023-12-31T00:00:00Z");
    expect(ids(before.body)).toEqual([munich.name]);
    const instant = await stack.get("/search?datetime=2024-05-14T10:06:31.024Z");
    expect(ids(instant.body)).toEqual([prague.name]);
  });

  it("filters by collections and ids", async () => {
    const l1c = await stack.post("/search", { collections: ["sentinel-2-l1c"] });
    expect(ids(l1c.body)).toEqual([munich.name]);
    const byId = await stack.get(`/search?ids=${fiji.name},${munich.name}`);
    expect(ids(byId.body)).toEqual([fiji.name, munich.name].sort());
  });

  it("pages with next links, newest first, without gaps or repeats (GET and POST)", async () => {
    const seen: string[] = [];
    let url: string | undefined = "/search?limit=1";
    while (url) {
      const res = await stack.get(url);
      expect(res.body.features.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.features.map((f: { id: string }) => f.id));
      url = res.body.links.find((l: { rel: string }) => l.rel === "next")?.href;
    }
    expect(seen).toEqual([prague.name, fiji.name, munich.name]);

    const postSeen: string[] = [];
    let body: unknown = { limit: 2 };
    while (body) {
      const res = await stack.post("/search", body);
      postSeen.push(...res.body.features.map((f: { id: string }) => f.id));
      const next = res.body.links.find((l: { rel: string }) => l.rel === "next");
      if (next) expect(next.method).toBe("POST");
      body = next?.body;
    }
    expect(postSeen).toEqual(seen);
  });
});

describe("downloads", () => {
  it("redirects an asset to a short-lived presigned URL that returns the product's bytes", async () => {
    const item = await stack.get(`/collections/sentinel-2-l2a/items/${prague.name}`);
    const href = item.body.assets.product.href as string;
    expect(href).toBe(`${stack.api}/collections/sentinel-2-l2a/items/${prague.name}/assets/product`);
    const redirect = await fetch(href, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get("location")!);
    expect(location.searchParams.get("X-Amz-Expires")).toBe("300");
    expect(location.searchParams.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    const download = await fetch(location);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain(prague.key.split("/").pop());
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(prague.bytes))).toBe(true);
  });
});

describe("ingest events", () => {
  it("indexes the same product uploaded twice as one item", async () => {
    await stack.upload(prague.key, prague.bytes, "application/zip");
    const res = await stack.get(`/search?ids=${prague.name}`);
    expect(res.body.features).toHaveLength(1);
  });

  it("records an object that is not a product as not indexed and leaves it in the bucket", async () => {
    await stack.upload("notes/readme.txt", "just some text", "text/plain");
    const failures = await stack.catalogue.listFailures();
    const f = failures.find((x) => x.key === "notes/readme.txt");
    expect(f?.reason).toMatch(/unknown|not a product|format/i);
    const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: "notes/readme.txt" }));
    expect(await obj.Body!.transformToString()).toBe("just some text");
  });

  it("takes an item away when its product is deleted", async () => {
    const extra = generateSentinel2Product({
      tile: "31UDQ",
      datetime: "2022-02-02T10:00:00.024Z",
      prefix: "tmp/",
    });
    await stack.upload(extra.key, extra.bytes, "application/zip");
    expect((await stack.get(`/search?ids=${extra.name}`)).body.features).toHaveLength(1);
    await stack.remove(extra.key);
    expect((await stack.get(`/search?ids=${extra.name}`)).body.features).toHaveLength(0);
  });
});

describe("collection summaries", () => {
  it("lists the distinct platforms and product types of a collection's items", async () => {
    const { body } = await stack.get("/collections/sentinel-2-l2a");
    expect(body.summaries.platform).toEqual(["sentinel-2a", "sentinel-2b"]);
    expect(body.summaries.constellation).toEqual(["sentinel-2"]);
    expect(body.summaries["product:type"]).toEqual(["S2MSI2A"]);
  });
});
