// `import --from-stac` against a stand-in STAC API that pages the ways real ones do: a POST `next`
// body merged into the last request, then a GET `next` href with a token; and an API without item
// search, read by /collections/{id}/items with relative `next` links. Cursors survive a JSON round trip
// (the checkpoint), and reading the same cursor again gives the same page.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stacSource } from "../../cli/commands/import-sources/stac-api.ts";
import { UsageError } from "../../cli/errors.ts";
import { Api } from "../../cli/http.ts";

let server: Server;
let root: string;
const seen: { method: string; url: string; body?: Record<string, unknown> }[] = [];

const SQUARE = {
  type: "Polygon",
  coordinates: [
    [
      [10, 40],
      [12, 40],
      [12, 42],
      [10, 42],
      [10, 40],
    ],
  ],
};
const item = (id: string, collection?: string) => ({
  type: "Feature",
  stac_version: "1.1.0",
  id,
  ...(collection ? { collection } : {}),
  geometry: null,
  properties: { datetime: "2024-01-01T00:00:00Z" },
  links: [
    { rel: "self", href: `http://x/${id}` },
    { rel: "license", href: "http://x/licence" },
  ],
  assets: { data: { href: `https://files.example.org/${id}.tif?signature=abc&x=1` } },
});

function answer(req: IncomingMessage, body: Record<string, unknown> | undefined): unknown {
  const u = new URL(req.url ?? "/", "http://x");
  const p = u.pathname;
  if (p === "/api/")
    return {
      conformsTo: ["https://api.stacspec.org/v1.0.0/item-search"],
      links: [{ rel: "search", href: "/api/search", method: "POST" }],
    };
  if (p === "/api/collections")
    return { collections: [{ id: "a", type: "Collection", links: [{ rel: "self", href: "x" }] }] };
  if (p === "/api/search" && req.method === "POST" && !body?.["token"])
    return {
      features: [item("s1", "a"), { ...item("s2", "a"), assets: { data: { href: "./s2.tif" } } }],
      links: [{ rel: "next", href: "/api/search", method: "POST", body: { token: "p2" }, merge: true }],
    };
  if (p === "/api/search" && req.method === "POST")
    return {
      features: [{ ...item("s3", "a"), geometry: SQUARE }],
      links: [{ rel: "next", href: "/api/search?token=p3" }],
    };
  if (p === "/api/search" && u.searchParams.get("token") === "p3")
    return { features: [item("s4", "a")], links: [] };
  if (p === "/getonly/")
    return {
      links: [
        { rel: "search", href: "/getonly/search", method: "GET" },
        { rel: "data", href: "/getonly/collections" },
      ],
    };
  if (p === "/getonly/search" && req.method === "GET") return { features: [item("g1", "a")] };
  if (p === "/plain/") return { links: [] };
  if (p === "/plain/collections")
    return u.searchParams.get("page")
      ? { collections: [{ id: "y" }] }
      : { collections: [{ id: "x" }], links: [{ rel: "next", href: "collections?page=2" }] };
  if (p === "/plain/collections/x/items" && !u.searchParams.get("page"))
    return { features: [item("x1"), item("x2")], links: [{ rel: "next", href: "items?page=2&limit=2" }] };
  if (p === "/plain/collections/x/items")
    return { features: [item("x3")], links: [{ rel: "next", href: "items?page=2&limit=2" }] };
  if (p === "/plain/collections/y/items") return { features: [item("y1")] };
  return undefined;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => {
      const body = text ? JSON.parse(text) : undefined;
      seen.push({ method: req.method ?? "", url: req.url ?? "", ...(body ? { body } : {}) });
      const out = answer(req, body);
      res
        .writeHead(out ? 200 : 404, { "content-type": "application/json" })
        .end(JSON.stringify(out ?? { code: "NotFound", description: req.url }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

const api = () => new Api({ url: root, s3: { region: "us-east-1" }, retries: 0, backoffMs: 1 });

async function readAll(source: Awaited<ReturnType<typeof stacSource>>) {
  const ids: string[] = [];
  let cursor: unknown;
  for (let guard = 0; guard < 20; guard++) {
    const page = await source.page(cursor);
    for (const e of page.entries)
      ids.push("item" in e ? `${e.item.collection}/${e.item.id}` : `failed ${e.failed.name}`);
    if (page.next === undefined) return ids;
    cursor = JSON.parse(JSON.stringify(page.next));
  }
  throw new Error("no end");
}

describe("a STAC API as an import source", () => {
  it("follows POST next bodies (merged) and GET next hrefs; items lose the source's links and signatures", async () => {
    seen.length = 0;
    const source = await stacSource(api(), {
      url: `${root}/api`,
      body: { collections: ["a"], bbox: [1, 2, 3, 4] },
      pageSize: 2,
      byCollection: false,
    });
    expect(await readAll(source)).toEqual(["a/s1", "a/s2", "a/s3", "a/s4"]);
    const posts = seen.filter((s) => s.method === "POST");
    expect(posts.map((s) => s.body)).toEqual([
      { collections: ["a"], bbox: [1, 2, 3, 4], limit: 2 },
      { collections: ["a"], bbox: [1, 2, 3, 4], limit: 2, token: "p2" },
    ]);
    expect(seen.at(-1)).toMatchObject({ method: "GET", url: "/api/search?token=p3" });
    const first = await source.page(undefined);
    const it = "item" in first.entries[0]! ? first.entries[0].item : undefined;
    expect(it?.["links"]).toEqual([{ rel: "license", href: "http://x/licence" }]);
    expect(it?.assets["data"]?.href).toBe("https://files.example.org/s1.tif?x=1");
    const s2 = "item" in first.entries[1]! ? first.entries[1].item : undefined;
    expect(s2?.assets["data"]?.href).toBe("http://x/s2.tif");
    expect((await source.collections()).map((c) => [c["id"], c["links"]])).toEqual([["a", []]]);
    // An item served with a geometry but no bbox gets one (this catalogue refuses it without).
    const second = await source.page(first.next);
    const s3 = "item" in second.entries[0]! ? second.entries[0].item : undefined;
    expect(s3?.bbox).toEqual([10, 40, 12, 42]);
  });

  it("searches by GET where the API offers only GET", async () => {
    seen.length = 0;
    const source = await stacSource(api(), {
      url: `${root}/getonly`,
      body: { collections: ["a"], bbox: [1, 2, 3, 4] },
      pageSize: 2,
      byCollection: false,
    });
    expect(await readAll(source)).toEqual(["a/g1"]);
    expect(seen.at(-1)).toMatchObject({
      method: "GET",
      url: "/getonly/search?collections=a&bbox=1%2C2%2C3%2C4&limit=2",
    });
  });

  it("reads an API without item search collection by collection, relative next links resolved", async () => {
    seen.length = 0;
    const source = await stacSource(api(), {
      url: `${root}/plain`,
      body: { datetime: "2024" },
      pageSize: 2,
      byCollection: false,
    });
    // x's second page links to itself: the walk goes on to y rather than round for ever.
    expect(await readAll(source)).toEqual(["x/x1", "x/x2", "x/x3", "y/y1"]);
    expect(seen.find((s) => s.url.startsWith("/plain/collections/x/items"))?.url).toBe(
      "/plain/collections/x/items?datetime=2024&limit=2",
    );
    expect((await source.collections()).map((c) => c["id"])).toEqual(["x", "y"]);
    // A checkpoint's cursor names its collection: one the source no longer has is followed by the
    // next in id order.
    const page = await source.page({
      request: { href: `${root}/plain/collections/x/items?page=2&limit=2`, method: "GET" },
      collection: "xa",
    });
    expect(page.next).toMatchObject({ collection: "y" });
    await expect(
      stacSource(api(), { url: `${root}/plain`, body: { ids: ["x1"] }, pageSize: 2, byCollection: false }),
    ).rejects.toThrow(UsageError);
  });
});
