// NDJSON imports as background jobs (POST /admin/import, operators only): the object is read in ranges
// from a checkpoint (byte offset and line), checked as the Transactions API checks and written through
// the bulk writer (shared/jobs/bulk-sink.ts), and a job forced to continue in a new invocation after
// every chunk ends with exactly the file's good items, its bad lines reported by number; keys outside
// the import prefix are refused.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobEvent } from "../../shared/jobs/model.ts";
import { DynamoJobStore } from "../../shared/jobs/store.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let operator: string;
let tight = false;
let store: DynamoJobStore;

beforeAll(async () => {
  app = await startTestApp({
    // Chunks of 1.5 KB: lines cross chunk ends, and one line is longer than a chunk.
    jobs: {
      clock: { remainingMs: () => (tight ? 0 : Number.POSITIVE_INFINITY) },
      import: { chunkBytes: 1500 },
    },
  });
  operator = `Bearer ${app.issuer.tokenFor("olga", { groups: ["operators"] })}`;
  store = new DynamoJobStore(new DynamoTable(app.doc, app.endpoints.dynamodb.table));
});
afterAll(async () => {
  await app?.close();
});

async function call(method: string, path: string, auth?: string, body?: unknown) {
  const res = await fetch(`${app.api}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the route answered.
  const json: any = await res.json().catch(() => undefined);
  return { status: res.status, headers: res.headers, json };
}

async function put(key: string, text: string) {
  await app.s3.send(new PutObjectCommand({ Bucket: app.jobsBucket, Key: key, Body: text }));
}

async function importOf(key: string) {
  const started = await call("POST", "/admin/import", operator, { key });
  expect(started.status, JSON.stringify(started.json)).toBe(202);
  await app.jobs.idle();
  const done = await call("GET", `/jobs/${started.json.id}`, operator);
  expect(done.status).toBe(200);
  return done.json;
}

async function idsIn(collection: string): Promise<string[]> {
  const ids: string[] = [];
  let page = await call("POST", "/search", undefined, { collections: [collection], limit: 100 });
  for (;;) {
    ids.push(...page.json.features.map((f: StacItem) => f.id));
    const next = page.json.links.find((l: { rel: string }) => l.rel === "next");
    if (!next) return ids;
    page = await call("POST", "/search", undefined, next.body);
  }
}

/** An item the Transactions API takes: with its bbox. */
function withBBox(item: StacItem): StacItem {
  const ring = (item.geometry as { coordinates: number[][][] }).coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return { ...item, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
}

const N = 30;
/** A collection, then N items, with a line that is not JSON (line 8) and an item without a geometry (line 17). */
function ndjson(collection: string): { text: string; good: string[] } {
  const out: string[] = [JSON.stringify(makeCollection(collection, "Imported", "test", []))];
  const good: string[] = [];
  for (let i = 0; i < N; i++) {
    const item = withBBox(
      makeItem({
        id: `${collection}-${i}`,
        collection,
        datetime: `2024-03-${String(1 + i).padStart(2, "0")}T00:00:00Z`,
        lon: i,
        lat: -20,
      }),
    );
    // One item far longer than a chunk.
    if (i === 11) item.properties["description"] = "x".repeat(5000);
    out.push(JSON.stringify(item));
    good.push(item.id);
    if (i === 5) out.push("{ this is not json");
    if (i === 14) {
      out.push(
        JSON.stringify({
          ...makeItem({ id: "no-geometry", collection, datetime: "2024-03-01T00:00:00Z", lon: 0, lat: 0 }),
          geometry: undefined,
        }),
      );
    }
  }
  return { text: `${out.join("\n")}\n`, good };
}

describe("import jobs", () => {
  it("import an NDJSON object exactly, reporting bad lines by number, when forced to continue after every chunk", async () => {
    const { text, good } = ndjson("imported-a");
    await put("imports/a.ndjson", text);
    tight = true;
    let job: Awaited<ReturnType<typeof importOf>>;
    try {
      job = await importOf("imports/a.ndjson");
    } finally {
      tight = false;
    }
    expect(job.status, job.error).toBe("succeeded");
    expect(job.counts).toMatchObject({
      collections: 1,
      items: N,
      badLines: 2,
      lines: N + 3,
      bytes: Buffer.byteLength(text),
    });
    expect(job.badLines.map((b: { line: number }) => b.line)).toEqual([8, 18]);
    expect(job.badLines[0].reason).toContain("not JSON");
    expect(job.badLines[1].reason).toContain("geometry");
    // Many invocations, each after a checkpoint.
    expect((await store.get(job.id))?.run).toBeGreaterThan(5);
    const ids = await idsIn("imported-a");
    expect(ids.sort()).toEqual([...good].sort());
    const long = await call("GET", "/collections/imported-a/items/imported-a-11");
    expect(long.json.properties.description).toHaveLength(5000);
  });

  it("leave no duplicate when chunks are written again (an invocation lost after writing, before its checkpoint)", async () => {
    const { text, good } = ndjson("imported-b");
    await put("imports/b.ndjson", text);
    const job = await importOf("imports/b.ndjson");
    expect(job.status).toBe("succeeded");
    // Rewind the job to its start, as a retried invocation would find it, and run it again.
    const stored = (await store.get(job.id))!;
    const rewound = {
      ...stored,
      status: "running" as const,
      run: stored.run + 1,
      checkpoint: undefined,
      counts: {},
    };
    expect(await store.update(rewound, stored.run)).toBe(true);
    // A stale invocation (the old number) does nothing; the current one runs it again.
    await app.jobs.start(jobEvent(job.id, stored.run));
    await app.jobs.idle();
    expect((await store.get(job.id))?.status).toBe("running");
    await app.jobs.start(jobEvent(job.id, rewound.run));
    await app.jobs.idle();
    const again = (await call("GET", `/jobs/${job.id}`, operator)).json;
    expect(again.status).toBe("succeeded");
    expect(again.counts).toMatchObject({ items: N, badLines: 2 });
    const ids = await idsIn("imported-b");
    expect(ids).toHaveLength(good.length);
    expect(ids.sort()).toEqual([...good].sort());
  });

  it("read only under the import prefix, for operators", async () => {
    for (const body of [
      { key: "exports/x.ndjson" },
      { key: "imports/../exports/x.ndjson" },
      { bucket: app.bucket, key: "imports/a.ndjson" },
      { key: "" },
    ])
      expect((await call("POST", "/admin/import", operator, body)).status, JSON.stringify(body)).toBe(400);
    const user = `Bearer ${app.issuer.tokenFor("alice")}`;
    expect((await call("POST", "/admin/import", user, { key: "imports/a.ndjson" })).status).toBe(403);
    expect((await call("POST", "/admin/import", undefined, { key: "imports/a.ndjson" })).status).toBe(401);
  });

  it("hand operators a presigned PUT under their own folder of the import prefix, and import what they put", async () => {
    const user = `Bearer ${app.issuer.tokenFor("alice")}`;
    expect((await call("POST", "/admin/import/uploads", user)).status).toBe(403);
    expect((await call("POST", "/admin/import/uploads")).status).toBe(401);
    const a = await call("POST", "/admin/import/uploads", operator);
    const b = await call("POST", "/admin/import/uploads", operator);
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    expect(a.json.key).toMatch(/^imports\/olga\/\d{8}T\d{6}Z-[0-9a-f]{12}\.ndjson$/);
    expect(b.json.key).not.toBe(a.json.key);
    expect(a.json).toMatchObject({ bucket: app.jobsBucket, method: "PUT" });
    expect(Date.parse(a.json.expires)).toBeGreaterThan(Date.now());
    // The URL alone (no credentials) writes the object; the import then reads it.
    const { text, good } = ndjson("imported-up");
    const put = await fetch(a.json.href, { method: "PUT", body: text });
    expect(put.status).toBe(200);
    const job = await importOf(a.json.key);
    expect(job.status, JSON.stringify(job)).toBe("succeeded");
    expect((await idsIn("imported-up")).sort()).toEqual([...good].sort());
  });

  it("fail a job whose object is missing, saying so", async () => {
    const job = await importOf("imports/missing.ndjson");
    expect(job.status).toBe("failed");
    expect(job.error).toContain("does not exist");
  });
});
