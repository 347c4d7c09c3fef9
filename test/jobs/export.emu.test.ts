// Search exports as background jobs (POST /search/export → 202 → GET /jobs/{id}): the file holds every
// item of every page of the search, as the creator may see it; only the creator sees the job; a job
// forced to continue in a new invocation after every part writes the same bytes as one that runs at once;
// a stac-geoparquet export reads back to the search's items, however many invocations it took.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { DynamoJobStore } from "../../shared/jobs/store.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let alice: string;
let bob: string;
let pat: string;
/** While true, every job invocation is out of time after one step: it checkpoints and continues. */
let tight = false;

const OPEN = 23;
const PARTNER = 5;

beforeAll(async () => {
  app = await startTestApp({
    access: parseAccessPolicy(
      JSON.stringify({
        collections: { "partner-data": { search: "group:partners", download: "group:partners" } },
      }),
    ),
    // Pages of 4 items, a part per page: many pages, many parts, from a few items.
    jobs: {
      clock: { remainingMs: () => (tight ? 0 : Number.POSITIVE_INFINITY) },
      export: { pageSize: 4, partBytes: 1, rows: 5 },
    },
  });
  const items = [
    ...Array.from({ length: OPEN }, (_, i) =>
      makeItem({
        id: `s2-${i}`,
        collection: "open-s2",
        datetime: `2024-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:0${i % 10}Z`,
        lon: i,
        lat: 40,
        // Properties only some items have, on later pages: a stac-geoparquet file's columns are all items'.
        ...(i % 5 === 4 ? { properties: { "eo:cloud_cover": i + 0.5 } } : {}),
        ...(i % 11 === 10 ? { properties: { platform: "sentinel-2b", "s2:tile": [i, i + 1] } } : {}),
      }),
    ),
    ...Array.from({ length: PARTNER }, (_, i) =>
      makeItem({
        id: `p-${i}`,
        collection: "partner-data",
        datetime: `2024-06-0${1 + i}T10:00:00Z`,
        lon: i,
        lat: 10,
      }),
    ),
  ];
  await seed(
    app,
    [makeCollection("open-s2", "S2", "test", []), makeCollection("partner-data", "Partners", "test", [])],
    items,
  );
  alice = `Bearer ${app.issuer.tokenFor("alice")}`;
  bob = `Bearer ${app.issuer.tokenFor("bob")}`;
  pat = `Bearer ${app.issuer.tokenFor("pat", { groups: ["partners"] })}`;
});
afterAll(async () => {
  await app?.close();
});

async function call(method: string, path: string, auth?: string, body?: unknown) {
  const res = await fetch(path.startsWith("http") ? path : `${app.api}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the route answered.
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {}
  return { status: res.status, headers: res.headers, json };
}

/** Starts an export and waits for it to finish; returns the job's last status. */
async function exportOf(body: Record<string, unknown>, auth: string) {
  const started = await call("POST", "/search/export", auth, body);
  expect(started.status, JSON.stringify(started.json)).toBe(202);
  expect(["queued", "running"]).toContain(started.json.status);
  const location = started.headers.get("location")!;
  expect(location).toBe(`${app.api}/jobs/${started.json.id}`);
  await app.jobs.idle();
  const done = await call("GET", location, auth);
  expect(done.status).toBe(200);
  return done.json;
}

async function download(job: { result: { href: string } }): Promise<string> {
  const res = await fetch(job.result.href);
  expect(res.status).toBe(200);
  return res.text();
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));

/** Every item of a search, following its next links. */
async function searchAll(body: Record<string, unknown>, auth: string): Promise<StacItem[]> {
  const items: StacItem[] = [];
  let page = await call("POST", "/search", auth, { ...body, limit: 5 });
  for (;;) {
    expect(page.status).toBe(200);
    items.push(...page.json.features);
    const next = page.json.links.find((l: { rel: string }) => l.rel === "next");
    if (!next) return items;
    page = await call("POST", next.href, auth, next.body);
  }
}

/** A served item as an export holds it: without the catalogue's own links. */
const own = new Set(["self", "root", "parent", "collection"]);
const exported = (i: StacItem) => ({ ...i, links: i.links.filter((l) => !own.has(l.rel)) });

describe("search export jobs", () => {
  it("export every page of a search as NDJSON, behind a presigned link signed anew on each read", async () => {
    const job = await exportOf(
      { collections: ["open-s2"], datetime: "2024-05-01T00:00:00Z/2024-05-31T23:59:59Z" },
      alice,
    );
    expect(job.status).toBe("succeeded");
    expect(job.counts).toMatchObject({ collections: 1, items: OPEN });
    expect(job.counts.parts).toBeGreaterThan(5);
    const file = lines(await download(job));
    expect(file[0]).toMatchObject({ type: "Collection", id: "open-s2" });
    const served = await searchAll(
      { collections: ["open-s2"], datetime: "2024-05-01T00:00:00Z/2024-05-31T23:59:59Z" },
      alice,
    );
    expect(served).toHaveLength(OPEN);
    expect(file.slice(1)).toEqual(served.map(exported));
    // A presigned link with a short life, made again on every read of the job.
    const href = new URL(job.result.href);
    expect(Number(href.searchParams.get("X-Amz-Expires"))).toBeLessThanOrEqual(300);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await call("GET", `/jobs/${job.id}`, alice);
    expect(again.json.result.href).not.toBe(job.result.href);
  });

  it("show a job to its creator only: another user gets 404, nobody signed in 401", async () => {
    const job = await exportOf({ collections: ["open-s2"] }, alice);
    expect((await call("GET", `/jobs/${job.id}`, bob)).status).toBe(404);
    expect((await call("GET", `/jobs/${job.id}`)).status).toBe(401);
    expect((await call("GET", "/jobs/no-such-job", alice)).status).toBe(404);
    expect((await call("POST", "/search/export", undefined, {})).status).toBe(401);
  });

  it("export only what the creator may search: a restricted collection is refused by name and left out otherwise", async () => {
    const named = await call("POST", "/search/export", alice, { collections: ["partner-data"] });
    expect(named.status).toBe(403);
    const all = await exportOf({}, alice);
    expect(all.search.collections).toEqual(["open-s2"]);
    const file = lines(await download(all));
    expect(file.filter((o) => o.type === "Feature")).toHaveLength(OPEN);
    expect(file.some((o) => o.collection === "partner-data" || o.id === "partner-data")).toBe(false);
    // A partner may search everything: every collection, and its job stays open to all of them.
    const theirs = await exportOf({}, pat);
    expect(lines(await download(theirs)).filter((o) => o.type === "Feature")).toHaveLength(OPEN + PARTNER);
  });

  it("refuse an unknown format or collection with 400", async () => {
    expect((await call("POST", "/search/export", alice, { format: "xlsx" })).status).toBe(400);
    expect((await call("POST", "/search/export", alice, { collections: ["nope"] })).status).toBe(400);
  });

  it("write the same file when forced to checkpoint and continue after every part", async () => {
    const search = { collections: ["open-s2"], sortby: [{ field: "id", direction: "asc" }] };
    const once = await exportOf(search, alice);
    tight = true;
    let chunked: Awaited<ReturnType<typeof exportOf>>;
    try {
      chunked = await exportOf(search, alice);
    } finally {
      tight = false;
    }
    expect(chunked.status).toBe("succeeded");
    const store = new DynamoJobStore(new DynamoTable(app.doc, app.endpoints.dynamodb.table));
    expect((await store.get(once.id))?.run).toBe(0);
    // One invocation per part (a part per page of 4, the collection with the first).
    expect((await store.get(chunked.id))?.run).toBe(chunked.counts.parts - 1);
    expect(chunked.counts.parts).toBeGreaterThan(5);
    expect(await download(chunked)).toBe(await download(once));
  });

  it("export stac-geoparquet that reads back to exactly the search's items, in one invocation or many", async () => {
    const search = { collections: ["open-s2"], sortby: [{ field: "id", direction: "asc" }] };
    const served = (await searchAll(search, alice)).map(exported);
    expect(served).toHaveLength(OPEN);
    const job = await exportOf({ ...search, format: "geoparquet" }, alice);
    expect(job.status, job.error).toBe("succeeded");
    expect(job.result).toMatchObject({ type: "application/vnd.apache.parquet" });
    const res = await fetch(job.result.href);
    expect(res.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const file = await readStacGeoparquet(bytes);
    expect(file.items).toEqual(served);
    expect(file.collections.map((c) => c.id)).toEqual(["open-s2"]);
    // Row groups of 5, each uploaded as a part of its own (part size 1 byte here).
    expect(job.counts).toMatchObject({ collections: 1, items: OPEN, bytes: bytes.length });
    expect(job.counts.parts).toBeGreaterThanOrEqual(Math.ceil(OPEN / 5));
    // The spool is gone; with time to spare, the conversion's bounded steps ran in the same invocation.
    const store = new DynamoJobStore(new DynamoTable(app.doc, app.endpoints.dynamodb.table));
    expect((await store.get(job.id))?.run).toBe(0);
    expect((await store.get(job.id))?.checkpoint).not.toHaveProperty("spool");
    tight = true;
    let chunked: Awaited<ReturnType<typeof exportOf>>;
    try {
      chunked = await exportOf({ ...search, format: "geoparquet" }, alice);
    } finally {
      tight = false;
    }
    expect(chunked.status, chunked.error).toBe("succeeded");
    expect((await store.get(chunked.id))?.run).toBeGreaterThan(5);
    const again = await readStacGeoparquet(
      new Uint8Array(await (await fetch(chunked.result.href)).arrayBuffer()),
    );
    expect(again.items).toEqual(served);
  });
});
