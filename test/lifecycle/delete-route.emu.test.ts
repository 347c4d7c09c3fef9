// Deletion with a cause through the API: the product's objects go, its item and rows go, a tombstone
// stays; its URL and downloads answer 410 with the cause, searches no longer find it, operators list it.
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
const OPERATOR = basic("operator", "operator-password");
const DEMO = basic("demo", "demo-password");
const C = "life-s2";

function productItem(id: string, lon: number): StacItem {
  const item = makeItem({ id, collection: C, datetime: "2024-05-01T10:00:00Z", lon, lat: 50 });
  item.assets = {
    product: { href: `s3://${app.bucket}/products/${id}.zip`, type: "application/zip", roles: ["data"] },
  };
  return item;
}

async function putProduct(item: StacItem): Promise<void> {
  const key = `products/${item.id}.zip`;
  await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: "zip bytes" }));
  const built = buildItemRows(item, "v1");
  await app.catalogue.putItem(item, built.rows, built.record, "v1", key);
  await app.catalogue.extendCollection(C, built.summary);
}

const exists = (key: string) =>
  app.s3.send(new HeadObjectCommand({ Bucket: app.bucket, Key: key })).then(
    () => true,
    () => false,
  );

const del = (id: string, body: unknown, auth = OPERATOR) =>
  app.get(`/collections/${C}/items/${id}/delete`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  app = await startTestApp();
  await app.catalogue.putCollection(makeCollection(C, "S2", "test", []));
  for (const [i, id] of ["gone-1", "kept-1", "gone-2"].entries()) await putProduct(productItem(id, 14 + i));
});
afterAll(() => app?.close());

describe("deletion with a cause (API)", () => {
  it("is for operators only, names bad causes, and answers 404 for an unknown id", async () => {
    expect((await app.post(`/collections/${C}/items/gone-1/delete`, { cause: "corrupted" })).status).toBe(
      401,
    );
    expect((await del("gone-1", { cause: "corrupted" }, DEMO)).status).toBe(403);
    const bad = await del("gone-1", { cause: "because" });
    expect(bad.status).toBe(400);
    expect(bad.body.description).toMatch(/'cause' must be one of obsolete-format/);
    const unknown = await del("no-such-item", { cause: "corrupted" });
    expect(unknown.status).toBe(404);
    expect(await exists("products/gone-1.zip")).toBe(true);
  });

  it("removes the objects and the item, keeps a tombstone, and answers 410 with the cause", async () => {
    const r = await del("gone-1", { cause: "obsolete-format", text: "Obsolete product format" });
    expect(r.status).toBe(200);
    expect(r.body.outcome).toBe("deleted");
    expect(r.body.tombstone).toMatchObject({
      collection: C,
      id: "gone-1",
      deletion: { cause: "obsolete-format", text: "Obsolete product format", by: "operator:operator" },
      objects: ["products/gone-1.zip"],
    });
    expect(r.body.tombstone.bbox).toHaveLength(4);
    expect(await exists("products/gone-1.zip")).toBe(false);
    expect(await exists("products/kept-1.zip")).toBe(true);

    const item = await app.get(`/collections/${C}/items/gone-1`);
    expect(item.status).toBe(410);
    expect(item.body.code).toBe("Gone");
    expect(item.body.description).toMatch(/obsolete-format \(Obsolete product format\)/);
    const asset = await app.get(`/collections/${C}/items/gone-1/assets/product`);
    expect(asset.status).toBe(410);
    expect((await app.get(`/collections/${C}/items/never-was`)).status).toBe(404);

    const found = await app.get(`/search?collections=${C}&limit=100`);
    expect(found.body.features.map((f: StacItem) => f.id).sort()).toEqual(["gone-2", "kept-1"]);
  });

  it("does nothing twice: a second deletion finds the first one's tombstone", async () => {
    const again = await del("gone-1", { cause: "duplicate" });
    expect(again.status).toBe(200);
    expect(again.body.outcome).toBe("already-deleted");
    expect(again.body.tombstone.deletion.cause).toBe("obsolete-format");
  });

  it("lists tombstones for operators, paged and filtered by collection, cause and time", async () => {
    await del("gone-2", { cause: "corrupted" });
    const auth = { headers: { authorization: OPERATOR } };
    expect((await app.get("/admin/tombstones")).status).toBe(401);
    const all = await app.get(`/admin/tombstones?collection=${C}`, auth);
    expect(all.body.tombstones.map((t: { id: string }) => t.id)).toEqual(["gone-1", "gone-2"]);
    const first = await app.get("/admin/tombstones?limit=1", auth);
    expect(first.body.tombstones.map((t: { id: string }) => t.id)).toEqual(["gone-1"]);
    const next = first.body.links.find((l: { rel: string }) => l.rel === "next");
    const second = await app.get(next.href, auth);
    expect(second.body.tombstones.map((t: { id: string }) => t.id)).toEqual(["gone-2"]);
    expect(second.body.links).toEqual([]);
    const corrupted = await app.get("/admin/tombstones?cause=corrupted", auth);
    expect(corrupted.body.tombstones.map((t: { id: string }) => t.id)).toEqual(["gone-2"]);
    const future = await app.get("/admin/tombstones?since=2999-01-01T00:00:00Z", auth);
    expect(future.body.tombstones).toEqual([]);
    expect((await app.get("/admin/tombstones?cause=nope", auth)).status).toBe(400);
  });

  it("are read by the DHuS facade's DeletedProducts view: Products fields with DeletionDate and DeletionCause", async () => {
    const r = await app.get("/dhus/odata/v1/DeletedProducts?$format=json", {
      headers: { authorization: DEMO },
    });
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.d.results.map((p: { Name: string }) => [p.Name, p]));
    expect(Object.keys(byName).sort()).toEqual(["gone-1", "gone-2"]);
    expect(byName["gone-1"]).toMatchObject({
      DeletionCause: "Obsolete product format",
      "hexarchive:cause": "obsolete-format",
      ContentDate: { Start: `/Date(${Date.parse("2024-05-01T10:00:00Z")})/` },
    });
    expect(byName["gone-1"].Id).toMatch(/^[0-9a-f-]{36}$/);
    expect(byName["gone-1"].DeletionDate).toMatch(/^\/Date\(\d+\)\/$/);
    expect(byName["gone-1"].ContentGeometry).toContain("<gml:coordinates>");
    const paged = await app.get("/dhus/odata/v1/DeletedProducts?$top=1&$skip=1", {
      headers: { authorization: DEMO },
    });
    expect(paged.body.d.results.map((p: { Name: string }) => p.Name)).toEqual(["gone-2"]);
  });
});
