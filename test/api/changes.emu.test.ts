// The change feed over HTTP (GET /changes, GET /collections/{id}/changes) after writes through the
// Transactions API, and mirror apply between two catalogues: a second one follows the first's feed,
// survives being killed half-way, and ends with the same search results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MirrorDeps, mirrorChanges } from "../../shared/ingest/mirror-changes.ts";
import type { ChangeLogTiming } from "../../shared/storage/dynamo-change-log.ts";
import { DynamoMirrorCursors } from "../../shared/storage/dynamo-mirror-cursors.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { makeCollection, makeItem } from "./seed.ts";

const TIMING: ChangeLogTiming = { settleMs: 50, graceMs: 2_000, writeDeadlineMs: 1_000 };
const settle = () => new Promise((r) => setTimeout(r, TIMING.settleMs + 30));
let origin: TestApp;
let mirror: TestApp;
const operator = `Basic ${Buffer.from("operator:operator-password").toString("base64")}`;

async function write(method: string, path: string, body?: unknown) {
  const res = await fetch(`${origin.api}${path}`, {
    method,
    headers: { authorization: operator, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
}

function item(id: string, collection: string, lon: number, extra: Record<string, unknown> = {}) {
  const i = makeItem({ id, collection, datetime: "2024-06-01T10:00:00Z", lon, lat: 45, properties: extra });
  const ring = (i.geometry as { coordinates: number[][][] }).coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return { ...i, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
}

beforeAll(async () => {
  [origin, mirror] = await Promise.all([
    startTestApp({ changeTiming: TIMING }),
    startTestApp({ changeTiming: TIMING }),
  ]);
  await write("POST", "/collections", makeCollection("feed-a", "A", "feed test", []));
  await write("POST", "/collections", makeCollection("feed-b", "B", "feed test", []));
});
afterAll(async () => {
  await origin?.close();
  await mirror?.close();
});

describe("change feed", () => {
  it("lists creations, updates and deletions with hashes, causes and next links", async () => {
    const since = new Date().toISOString();
    await write("POST", "/collections/feed-a/items", item("a1", "feed-a", 5));
    await write("POST", "/collections/feed-a/items", item("a2", "feed-a", 6));
    await write("PUT", "/collections/feed-a/items/a1", item("a1", "feed-a", 5, { "eo:cloud_cover": 3 }));
    await write("POST", "/collections/feed-b/items", item("b1", "feed-b", 7));
    await write("DELETE", "/collections/feed-a/items/a2");
    await settle();

    const first = await origin.get(`/collections/feed-a/changes?since=${since}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.changes.map((c: { kind: string; id: string }) => [c.kind, c.id])).toEqual([
      ["created", "a1"],
      ["created", "a2"],
    ]);
    const next = first.body.links.find((l: { rel: string }) => l.rel === "next");
    expect(next.href).toContain(`/collections/feed-a/changes?since=`);
    const second = await origin.get(next.href);
    expect(second.body.changes.map((c: { kind: string; id: string }) => [c.kind, c.id])).toEqual([
      ["updated", "a1"],
      ["deleted", "a2"],
    ]);
    const [updated, deleted] = second.body.changes;
    expect(updated.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(updated.hash).not.toBe(first.body.changes[0].hash);
    expect(updated).toMatchObject({
      collection: "feed-a",
      version: expect.any(String),
      at: expect.any(String),
    });
    expect(deleted.deletion).toEqual({ cause: "operator", by: "operator:operator" });
    // The item answers with the same hash as a weak ETag.
    const a1 = await origin.get("/collections/feed-a/items/a1");
    expect(a1.headers.get("etag")).toBe(`W/"${updated.hash}"`);
    expect(deleted.hash).toBeUndefined();
    // The end: nothing newer, no next link.
    const third = await origin.get(second.body.links.find((l: { rel: string }) => l.rel === "next").href);
    expect(third.body.changes).toEqual([]);
    expect(third.body.links.map((l: { rel: string }) => l.rel)).toEqual(["self"]);

    const wide = await origin.get(`/changes?since=${encodeURIComponent(since)}`);
    expect(wide.body.changes.map((c: { id: string }) => c.id)).toEqual(["a1", "a2", "a1", "b1", "a2"]);
  });

  it("answers a bad since or limit with 400 and an unknown collection with 404", async () => {
    const bad = await origin.get("/changes?since=yesterday");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: "BadRequest", description: expect.stringContaining("since") });
    expect((await origin.get("/changes?limit=0")).status).toBe(400);
    expect((await origin.get("/changes?limit=abc")).status).toBe(400);
    const missing = await origin.get("/collections/nope/changes");
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBeDefined();
  });
});

describe("mirror apply", () => {
  const deps = (get: MirrorDeps["get"]): MirrorDeps => ({
    catalogue: mirror.catalogue,
    cursors: new DynamoMirrorCursors(mirror.catalogue.table),
    get,
  });
  const httpGet: MirrorDeps["get"] = async (url) => {
    const res = await fetch(url);
    return { status: res.status, body: await res.json() };
  };
  const search = async (app: TestApp) => {
    const res = await app.get("/search?limit=100&collections=feed-a,feed-b");
    return res.body.features
      .map((f: { id: string; collection: string; properties: Record<string, unknown> }) => ({
        id: f.id,
        collection: f.collection,
        cloud: f.properties["eo:cloud_cover"],
      }))
      .sort((a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id));
  };

  it("follows the origin's feed, resumes after a kill, skips what it holds, and ends with the same searches", async () => {
    for (let i = 0; i < 6; i++)
      await write("POST", "/collections/feed-b/items", item(`m${i}`, "feed-b", 10 + i));
    await write("DELETE", "/collections/feed-b/items/m5");
    await settle();

    // Killed after three item fetches: what it applied stays, its cursor says how far it got.
    let fetches = 0;
    const dying: MirrorDeps["get"] = async (url) => {
      if (url.includes("/items/") && ++fetches > 3) throw new Error("killed");
      return httpGet(url);
    };
    await expect(mirrorChanges(deps(dying), { from: origin.api, pageSize: 3 })).rejects.toThrow("killed");
    const resumed = await mirrorChanges(deps(httpGet), { from: origin.api, pageSize: 3 });
    expect(resumed.read).toBeGreaterThan(0);
    // The first run read changes the second did not read again.
    const total = (await origin.get("/changes?limit=1000")).body.changes.length;
    expect(resumed.read).toBeLessThan(total);
    expect(await search(mirror)).toEqual(await search(origin));
    const m5 = await mirror.get("/collections/feed-b/items/m5");
    expect(m5.status).toBe(404);

    // More changes at the origin: an update, a deletion with a cause; applied once, then nothing to do.
    await write("PUT", "/collections/feed-b/items/m0", item("m0", "feed-b", 10, { "eo:cloud_cover": 42 }));
    await write("DELETE", "/collections/feed-b/items/m1");
    await settle();
    const again = await mirrorChanges(deps(httpGet), { from: origin.api });
    expect(again).toEqual({ read: 2, written: 1, deleted: 1, skipped: 0 });
    expect(await search(mirror)).toEqual(await search(origin));
    // The mirror's own log serves its deletion once the settle window has passed.
    await settle();
    expect((await mirror.catalogue.readChanges({ limit: 1000 })).changes.at(-1)?.deletion).toEqual({
      cause: "operator",
      by: "operator:operator",
    });
    expect(await mirrorChanges(deps(httpGet), { from: origin.api })).toEqual({
      read: 0,
      written: 0,
      deleted: 0,
      skipped: 0,
    });
  });

  it("skips a change whose content it already holds (same hash), re-read from an older cursor", async () => {
    const cursors = new DynamoMirrorCursors(mirror.catalogue.table);
    await cursors.putCursor(origin.api, "feed-b", new Date(Date.now() - 3_600_000).toISOString());
    const r = await mirrorChanges(deps(httpGet), { from: origin.api, collections: ["feed-b"] });
    // b1, m2, m3, m4: held with that hash; m1 and m5: gone at the origin (and here); m0: created with
    // an older hash than it now has, so fetched (the newest) and written, then its update once more.
    expect(r).toEqual({ read: 10, written: 2, deleted: 0, skipped: 8 });
    expect(await search(mirror)).toEqual(await search(origin));
  });
});
