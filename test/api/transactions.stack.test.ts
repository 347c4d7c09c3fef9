// STAC API Transactions over HTTP against the secured local stack: who may write, items and collections
// created, replaced, patched and deleted and at once searchable, and how API writes and ingest share
// items (shared/ingest/index-item.ts).
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestMayOverwrite } from "../../shared/ingest/index-item.ts";
import { API_SOURCE } from "../../shared/products/object-home.ts";
import { requireWriter } from "../../shared/transactions/authorize.ts";
import { mergePatch } from "../../shared/transactions/merge-patch.ts";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";

let stack: SecuredStack;
let operator: string;
let demo: string;
const C = "field-campaign";

beforeAll(async () => {
  stack = await startSecuredStack();
  operator = stack.basic("operator", "operator-password");
  demo = `Bearer ${await stack.token("demo", "demo-password")}`;
});
afterAll(() => stack?.close());

async function call(method: string, path: string, o: { auth?: string; body?: unknown; type?: string } = {}) {
  const headers: Record<string, string> = { "content-type": o.type ?? "application/json" };
  if (o.auth) headers["authorization"] = o.auth;
  const res = await fetch(`${stack.api}${path}`, {
    method,
    headers,
    ...(o.body === undefined ? {} : { body: JSON.stringify(o.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const write = (method: string, path: string, body?: unknown, type?: string) =>
  call(method, path, { auth: operator, body, ...(type ? { type } : {}) });

// biome-ignore format: one ring reads best on one line
const SQUARE = [[14, 50], [14.5, 50], [14.5, 50.3], [14, 50.3], [14, 50]];

function item(id: string, over: Record<string, unknown> = {}, props: Record<string, unknown> = {}) {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id,
    geometry: { type: "Polygon", coordinates: [SQUARE] },
    bbox: [14, 50, 14.5, 50.3],
    properties: { datetime: "2025-06-01T10:00:00Z", platform: "drone-1", "eo:cloud_cover": 12, ...props },
    links: [],
    assets: { data: { href: `s3://${stack.endpoints.s3.bucket}/${C}/${id}.tif`, type: "image/tiff" } },
    ...over,
  };
}
const collection = {
  type: "Collection",
  id: C,
  description: "Drone flights",
  license: "CC-BY-4.0",
  links: [],
};
/** A sidecar body (relative href) for an item ingested from the bucket. */
const feature = (id: string, collection: string, key: string) => ({
  ...item(id, { collection }),
  assets: { data: { href: key.slice(key.lastIndexOf("/") + 1) } },
});
const searchIds = async (q: string) =>
  ((await call("GET", `/search?${q}`)).body.features as { id: string }[]).map((f) => f.id);

describe("who may write", () => {
  it("answers anonymous callers 401 with a challenge and other users 403", async () => {
    const anon = await call("POST", "/collections", { body: collection });
    expect(anon.status).toBe(401);
    expect(anon.headers.get("www-authenticate")).toMatch(/Bearer realm="hexarchive"/);
    const user = await call("POST", "/collections", { auth: demo, body: collection });
    expect(user.status).toBe(403);
    expect(user.body.description).toMatch(/operators/);
    expect((await call("DELETE", "/collections/x/items/y", { auth: demo })).status).toBe(403);
  });

  it("takes the writers' group from the access policy's `write` level", () => {
    const auth = {
      policy: { search: "public", download: "public", write: "group:editors", collections: {} },
    };
    const editor = { user: "e", groups: ["editors"], via: "basic" as const };
    expect(() => requireWriter(auth as never, editor)).not.toThrow();
    expect(() => requireWriter(auth as never, { ...editor, groups: [] })).toThrow(/group 'editors'/);
    expect(() => requireWriter(undefined, editor)).toThrow(/no users/);
  });
});

describe("collections", () => {
  it("creates one (201, Location), lists it, and refuses a second or a bad id", async () => {
    const res = await write("POST", "/collections", collection);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${stack.api}/collections/${C}`);
    expect((await call("GET", `/collections/${C}`)).body.description).toBe(collection.description);
    const list = (await call("GET", "/collections")).body.collections.map((c: { id: string }) => c.id);
    expect(list).toContain(C);
    expect((await write("POST", "/collections", collection)).status).toBe(409);
    const bad = await write("POST", "/collections", { ...collection, id: "a#b" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "BadRequest", description: expect.stringMatching(/^id /) });
  });

  it("replaces and patches it; a body naming another id is a 400", async () => {
    const put = await write("PUT", `/collections/${C}`, { ...collection, title: "Campaign" });
    expect(put.status).toBe(200);
    expect(put.body.title).toBe("Campaign");
    const patched = await write(
      "PATCH",
      `/collections/${C}`,
      { keywords: ["drone"] },
      "application/merge-patch+json",
    );
    expect(patched.body).toMatchObject({ title: "Campaign", keywords: ["drone"] });
    expect((await write("PUT", `/collections/${C}`, { ...collection, id: "other" })).status).toBe(400);
    expect((await write("PUT", "/collections/nope", { ...collection, id: "nope" })).status).toBe(404);
  });
});

describe("items", () => {
  it("creates an item that is at once readable, searchable and in the collection's extent", async () => {
    const res = await write("POST", `/collections/${C}/items`, item("flight-1"));
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`${stack.api}/collections/${C}/items/flight-1`);
    expect(res.body.properties["hexarchive:uuid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call("GET", `/collections/${C}/items/flight-1`)).status).toBe(200);
    expect(await searchIds("bbox=14.1,50.1,14.2,50.2&collections=field-campaign")).toEqual(["flight-1"]);
    expect(await searchIds("filter=platform%3D'drone-1'")).toEqual(["flight-1"]);
    const items = (await call("GET", `/collections/${C}/items`)).body.features;
    expect(items.map((f: { id: string }) => f.id)).toEqual(["flight-1"]);
    const c = (await call("GET", `/collections/${C}`)).body;
    expect(c.extent.spatial.bbox[0]).toEqual([14, 50, 14.5, 50.3]);
    expect(c.extent.temporal.interval[0][0]).toBe("2025-06-01T10:00:00.000Z");
    expect(c.summaries.platform).toEqual(["drone-1"]);
    expect((await write("POST", `/collections/${C}/items`, item("flight-1"))).status).toBe(409);
  });

  it("refuses invalid items with a 400 naming the field, and items of a missing collection", async () => {
    const cases: [unknown, RegExp][] = [
      [item("x", {}, { datetime: null }), /^properties\.datetime /],
      [item("x", { collection: "other" }), /^collection 'other' does not match/],
      [
        item("x", { assets: { data: { href: "relative/file.tif" } } }),
        /^assets\.data\.href must be an absolute URL/,
      ],
      [item("x", { bbox: undefined }), /^bbox /],
      [{ ...item("x"), type: "Polygon" }, /^type /],
    ];
    for (const [body, description] of cases) {
      const res = await write("POST", `/collections/${C}/items`, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "BadRequest", description: expect.stringMatching(description) });
    }
    expect((await write("POST", "/collections/nope/items", item("x"))).status).toBe(404);
  });

  it("refuses bodies breaking STAC or a schema they declare with a 400 naming field and schema", async () => {
    const EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
    const cloudy = (id: string, cloud: unknown) =>
      item(id, { stac_extensions: [EO] }, { "eo:cloud_cover": cloud });
    const items = `/collections/${C}/items`;
    const bad = await write("POST", items, cloudy("s-1", "high"));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      code: "BadRequest",
      description: `properties.eo:cloud_cover must be number (schema ${EO})`,
    });
    expect((await call("GET", `${items}/s-1`)).status).toBe(404);
    const bulk = await write("POST", items, {
      type: "FeatureCollection",
      features: [cloudy("s-1", 1), cloudy("s-2", -5)],
    });
    expect(bulk.body.description).toMatch(
      /^features\[1\]\.properties\.eo:cloud_cover must be >= 0 \(schema /,
    );
    expect(await searchIds("ids=s-1")).toEqual([]);

    expect((await write("POST", items, cloudy("s-1", 20))).status).toBe(201);
    const put = await write("PUT", `${items}/s-1`, cloudy("s-1", "high"));
    expect(put.body.description).toBe(`properties.eo:cloud_cover must be number (schema ${EO})`);
    const patch = await write("PATCH", `${items}/s-1`, { properties: { "eo:cloud_cover": "high" } });
    expect(patch.status).toBe(400);
    expect(patch.body.description).toMatch(/^properties\.eo:cloud_cover must be number \(schema /);
    expect((await call("GET", `${items}/s-1`)).body.properties["eo:cloud_cover"]).toBe(20);

    // A schema the archive does not hold is accepted unvalidated; those it holds still apply.
    const custom = "https://example.org/drone/v1.0.0/schema.json";
    expect((await write("POST", items, item("s-2", { stac_extensions: [EO, custom] }))).status).toBe(201);
    expect((await write("POST", items, item("s-3", { stac_version: "0.9.0" }))).body.description).toMatch(
      /^stac_version '0\.9\.0' is not a STAC version this archive validates/,
    );
    for (const id of ["s-1", "s-2"]) expect((await write("DELETE", `${items}/${id}`)).status).toBe(204);
  });

  it("takes s3 hrefs only in the products bucket, under the collection's folder, not another item's", async () => {
    const b = stack.endpoints.s3.bucket;
    const sidecar = feature("owned-1", C, `${C}/owned.tif`);
    await stack.upload(`${C}/owned.stac.json`, JSON.stringify(sidecar));
    const cases: [string, RegExp][] = [
      [`s3://${b}/campaign/x.tif`, /under 'field-campaign\/'/],
      [`s3://${b}/${C}x/x.tif`, /under 'field-campaign\/'/],
      [`s3://other-bucket/${C}/x.tif`, /products bucket/],
      [`s3://${b}/${C}/../secret/x.tif`, /not a plain/],
      [`s3://${b}/${C}/owned.stac.json`, /of another item/],
    ];
    for (const [href, description] of cases) {
      const res = await write("POST", `/collections/${C}/items`, item("x", { assets: { data: { href } } }));
      expect(res.status, href).toBe(400);
      expect(res.body.description).toMatch(description);
    }
    expect((await write("DELETE", `/collections/${C}/items/owned-1`)).status).toBe(204);
  });

  it("replaces an item (PUT), keeping s3 hrefs a client copied back from a GET", async () => {
    const got = (await call("GET", `/collections/${C}/items/flight-1`)).body;
    expect(got.assets.data.href).toBe(`${stack.api}/collections/${C}/items/flight-1/assets/data`);
    got.properties["eo:cloud_cover"] = 55;
    const res = await write("PUT", `/collections/${C}/items/flight-1`, got);
    expect(res.status).toBe(200);
    const stored = await stack.catalogue.getItem(C, "flight-1");
    expect(stored?.item.assets["data"]?.href).toBe(`s3://${stack.endpoints.s3.bucket}/${C}/flight-1.tif`);
    expect(await searchIds("filter=%22eo:cloud_cover%22%3E50")).toEqual(["flight-1"]);
    expect((await write("PUT", `/collections/${C}/items/flight-1`, item("flight-2"))).status).toBe(400);
    expect((await write("PUT", `/collections/${C}/items/missing`, item("missing"))).status).toBe(404);
  });

  it("patches an item with a JSON Merge Patch; the result is validated and searchable", async () => {
    const patch = { properties: { "eo:cloud_cover": 3, platform: null } };
    const res = await write(
      "PATCH",
      `/collections/${C}/items/flight-1`,
      patch,
      "application/merge-patch+json",
    );
    expect(res.status).toBe(200);
    expect(res.body.properties["eo:cloud_cover"]).toBe(3);
    expect(res.body.properties.platform).toBeUndefined();
    expect(await searchIds("filter=%22eo:cloud_cover%22%3C5")).toEqual(["flight-1"]);
    expect(await searchIds("filter=%22eo:cloud_cover%22%3E50")).toEqual([]);
    const bad = await write("PATCH", `/collections/${C}/items/flight-1`, {
      properties: { datetime: "soon" },
    });
    expect(bad.body.description).toMatch(/^properties\.datetime is not an RFC 3339/);
    const jsonPatch = [{ op: "remove", path: "/properties/x" }];
    const r = await write(
      "PATCH",
      `/collections/${C}/items/flight-1`,
      jsonPatch,
      "application/json-patch+json",
    );
    expect(r.status).toBe(415);
  });

  it("stamps created on the first write and keeps it; updated follows every write", async () => {
    const before = Date.now();
    const posted = await write(
      "POST",
      `/collections/${C}/items`,
      item("dated", {}, { created: "1999-01-01T00:00:00Z" }),
    );
    expect(posted.status).toBe(201);
    const created = posted.body.properties.created as string;
    expect(Date.parse(created)).toBeGreaterThanOrEqual(before - 1000);
    expect(posted.body.properties.updated).toBe(created);
    await new Promise((r) => setTimeout(r, 20));
    const put = await write(
      "PUT",
      `/collections/${C}/items/dated`,
      item("dated", {}, { created: "2000-01-01T00:00:00Z" }),
    );
    const patched = await write(
      "PATCH",
      `/collections/${C}/items/dated`,
      { properties: { "eo:cloud_cover": 1 } },
      "application/merge-patch+json",
    );
    for (const res of [put, patched]) {
      expect(res.body.properties.created).toBe(created);
      expect(Date.parse(res.body.properties.updated)).toBeGreaterThan(Date.parse(created));
    }
    const read = (await call("GET", `/collections/${C}/items/dated`)).body.properties;
    expect(read).toMatchObject({ created, updated: patched.body.properties.updated });
    expect((await write("DELETE", `/collections/${C}/items/dated`)).status).toBe(204);
  });

  it("creates an ItemCollection all or nothing", async () => {
    const fc = (ids: string[]) => ({ type: "FeatureCollection", features: ids.map((id) => item(id)) });
    const invalid = { type: "FeatureCollection", features: [item("b-1"), item("b-2", { geometry: 5 })] };
    expect((await write("POST", `/collections/${C}/items`, invalid)).body.description).toMatch(
      /^features\[1\]\.geometry/,
    );
    const conflict = await write("POST", `/collections/${C}/items`, fc(["b-1", "flight-1"]));
    expect(conflict.status).toBe(409);
    expect(await searchIds("ids=b-1")).toEqual([]);
    const res = await write("POST", `/collections/${C}/items`, fc(["b-1", "b-2", "b-3"]));
    expect(res.status).toBe(201);
    expect(res.body.created).toBe(3);
    expect((await searchIds("collections=field-campaign&limit=100")).sort()).toEqual([
      "b-1",
      "b-2",
      "b-3",
      "flight-1",
    ]);
  });

  it("deletes items (204), and a collection only once it is empty", async () => {
    expect((await write("DELETE", `/collections/${C}`)).status).toBe(409);
    for (const id of ["b-1", "b-2", "b-3", "flight-1"])
      expect((await write("DELETE", `/collections/${C}/items/${id}`)).status).toBe(204);
    expect((await call("GET", `/collections/${C}/items/flight-1`)).status).toBe(404);
    expect(await searchIds("collections=field-campaign")).toEqual([]);
    expect((await write("DELETE", `/collections/${C}/items/flight-1`)).status).toBe(404);
    expect((await write("DELETE", `/collections/${C}`)).status).toBe(204);
    expect((await call("GET", `/collections/${C}`)).status).toBe(404);
    expect(
      (await call("GET", "/collections")).body.collections.map((c: { id: string }) => c.id),
    ).not.toContain(C);
  });
});

describe("API writes and ingest", () => {
  const key = "deliveries/shared/scene.stac.json";
  const sidecar = (cloud: number) =>
    JSON.stringify({
      ...item("scene-1", { collection: "deliveries" }, { "eo:cloud_cover": cloud }),
      assets: { d: { href: "scene.tif" } },
    });
  const cloud = async () =>
    (await stack.catalogue.getItem("deliveries", "scene-1"))?.item.properties["eo:cloud_cover"];
  const replay = async () => {
    // A redelivered event: newer than the ones seen (as the local notifier numbers them), same object.
    const sequencer = (BigInt(Date.now()) * 1_000_000n + 999_999n).toString(16).toUpperCase();
    const s3 = { bucket: { name: stack.endpoints.s3.bucket }, object: { key, sequencer } };
    stack.queue.send(JSON.stringify({ Records: [{ eventName: "ObjectCreated:Put", s3 }] }));
    await stack.settled();
  };

  it("keeps an API edit over an older object, and lets a newer upload replace it", async () => {
    await stack.upload(key, sidecar(10), "application/json");
    expect(await cloud()).toBe(10);
    await write("PATCH", "/collections/deliveries/items/scene-1", { properties: { "eo:cloud_cover": 20 } });
    expect((await stack.catalogue.getItem("deliveries", "scene-1"))?.source).not.toBe(key);
    await replay(); // the same, older object arrives again: it must not win silently
    expect(await cloud()).toBe(20);
    const failure = (await stack.catalogue.listFailures()).find((f) => f.key === key);
    expect(failure).toMatchObject({ code: "Conflict", reason: expect.stringMatching(/through the API/) });
    await new Promise((r) => setTimeout(r, 1100)); // S3 keeps modification times to the second
    await stack.upload(key, sidecar(30), "application/json");
    expect(await cloud()).toBe(30);
    expect((await stack.catalogue.getItem("deliveries", "scene-1"))?.source).toBe(key);
  });

  it("never deletes an API-written item when an object goes", async () => {
    await write("PATCH", "/collections/deliveries/items/scene-1", { properties: { "eo:cloud_cover": 40 } });
    await stack.s3.send(new DeleteObjectCommand({ Bucket: stack.endpoints.s3.bucket, Key: key }));
    await stack.settled();
    expect(await cloud()).toBe(40);
  });

  it("decides by modification time (unit)", () => {
    const api = {
      item: {} as never,
      rowKeys: [],
      source: API_SOURCE,
      version: "api:2025-01-01T00:00:01.000Z:ab",
    };
    expect(ingestMayOverwrite(undefined, undefined)).toBe(true);
    expect(ingestMayOverwrite({ ...api, source: "k" }, undefined)).toBe(true);
    expect(ingestMayOverwrite(api, new Date("2025-01-01T00:00:01Z"))).toBe(false);
    expect(ingestMayOverwrite(api, new Date("2025-01-01T00:00:02Z"))).toBe(true);
    expect(ingestMayOverwrite(api, undefined)).toBe(false);
  });
});

describe("merge patch and discovery", () => {
  it("follows RFC 7396", () => {
    const target = { a: "b", c: { d: "e", f: "g" } };
    expect(mergePatch(target, { a: "z", c: { f: null } })).toEqual({ a: "z", c: { d: "e" } });
    expect(mergePatch({ a: [1, 2] }, { a: [3] })).toEqual({ a: [3] });
    expect(mergePatch({ a: "b" }, ["c"])).toEqual(["c"]);
    expect(mergePatch("x", { a: { b: null } })).toEqual({ a: {} });
  });

  it("advertises the Transactions conformance classes and documents the operations", async () => {
    const { conformsTo } = (await call("GET", "/conformance")).body;
    expect(conformsTo).toEqual(
      expect.arrayContaining([
        "https://api.stacspec.org/v1.0.0/ogcapi-features/extensions/transaction",
        "https://api.stacspec.org/v1.0.0/collections/extensions/transaction",
        "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete",
      ]),
    );
    const { paths } = (await call("GET", "/api")).body;
    expect(Object.keys(paths["/collections/{collectionId}/items/{itemId}"])).toEqual(
      expect.arrayContaining(["get", "put", "patch", "delete"]),
    );
    expect(Object.keys(paths["/collections"])).toContain("post");
    expect(paths["/collections/{collectionId}/items"].post.responses["201"]).toBeDefined();
  });
});
