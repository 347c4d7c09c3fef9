// Import jobs write through the bulk writer (shared/jobs/bulk-sink.ts): a chunk of items in batch
// requests, not several requests per item, and still with the effects of an API write — every item
// logged in the change log (created, then updated when imported again), `created` kept, the rows of a
// replaced version removed, the collection's extent widened — and no duplicate after a second import.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemChange } from "../../shared/storage/changes.ts";
import { DEFAULT_TIMING, DynamoChangeLog } from "../../shared/storage/dynamo-change-log.ts";
import { DynamoTable, keyOf } from "../../shared/storage/dynamo-table.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let operator: string;
let requests = 0;

beforeAll(async () => {
  // Default chunk size (512 KB): the whole file is one chunk.
  app = await startTestApp();
  operator = `Bearer ${app.issuer.tokenFor("olga", { groups: ["operators"] })}`;
  // Every DynamoDB request of the API and of the jobs it runs (they share this client).
  app.doc.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: "initialize", name: "countRequests" },
  );
});
afterAll(async () => {
  await app?.close();
});

const N = 300;
const C = "bulk-imported";

function ndjson(lonShift = 0): string {
  const lines = [JSON.stringify(makeCollection(C, "Imported in bulk", "test", []))];
  for (let i = 0; i < N; i++) {
    const lon = (i % 60) + (i === 7 ? lonShift : 0);
    const item = makeItem({
      id: `b-${i}`,
      collection: C,
      datetime: `2023-0${1 + (i % 9)}-1${i % 10}T08:00:00Z`,
      lon,
      lat: -30 + (i % 50),
    });
    // The Transactions API wants the bbox.
    lines.push(JSON.stringify({ ...item, bbox: [lon - 0.5, -30.5 + (i % 50), lon + 0.5, -29.5 + (i % 50)] }));
  }
  return `${lines.join("\n")}\n`;
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.api}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: operator },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}

async function importText(key: string, text: string) {
  await app.s3.send(new PutObjectCommand({ Bucket: app.jobsBucket, Key: key, Body: text }));
  const before = requests;
  const started = await call("POST", "/admin/import", { key });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await app.jobs.idle();
  const used = requests - before;
  const done = await call("GET", `/jobs/${(started.body as { id: string }).id}`);
  return { job: done.body as { status: string; error?: string; counts: Record<string, number> }, used };
}

/** Every change of the collection (read with a clock past the settle and grace periods). */
async function changesOf(collection: string): Promise<ItemChange[]> {
  const log = new DynamoChangeLog(
    new DynamoTable(app.doc, app.endpoints.dynamodb.table),
    DEFAULT_TIMING,
    () => Date.now() + 120_000,
  );
  const out: ItemChange[] = [];
  let since: string | undefined;
  for (;;) {
    const page = await log.readChanges({ collection, limit: 1000, ...(since ? { since } : {}) });
    out.push(...page.changes);
    if (!page.next || page.changes.length === 0) return out;
    since = page.next;
  }
}

describe("import jobs through the bulk writer", () => {
  it("write a chunk of items in batch requests (under 3 DynamoDB requests an item, not over 10), each logged as created", async () => {
    const { job, used } = await importText("imports/bulk.ndjson", ndjson());
    expect(job.status, job.error).toBe("succeeded");
    expect(job.counts).toMatchObject({ items: N, collections: 1, badLines: 0 });
    // Rows, records and change-log entries go in batch requests, the bookkeeping once per chunk; what
    // is left per item is the conditional write of its footprint's tile record (every footprint of this
    // file is new), which concurrent writers share. The Transactions path took over ten an item.
    expect(used).toBeLessThan(3 * N);
    const changes = await changesOf(C);
    expect(
      changes
        .filter((c) => c.kind === "created")
        .map((c) => c.id)
        .sort(),
    ).toEqual(Array.from({ length: N }, (_, i) => `b-${i}`).sort());
    const collection = await app.get(`/collections/${C}`);
    const extent = (collection.body as { extent: { spatial: { bbox: number[][] } } }).extent;
    expect(extent.spatial.bbox[0]).toEqual([-0.5, -30.5, 59.5, 19.5]);
  });

  it("replace on a second import: no duplicate, updates logged, `created` kept, the replaced rows removed", async () => {
    const first = await app.catalogue.getItem(C, "b-7");
    expect(first).toBeDefined();
    // Item b-7 moves 100° east: its old rows must go.
    const { job } = await importText("imports/bulk-again.ndjson", ndjson(100));
    expect(job.status, job.error).toBe("succeeded");
    expect(job.counts).toMatchObject({ items: N, collections: 0 });
    const again = (await app.catalogue.getItem(C, "b-7"))!;
    expect(again.version).not.toBe(first!.version);
    expect(again.item.properties["created"]).toBe(first!.item.properties["created"]);
    expect(again.item.properties["updated"]).not.toBe(first!.item.properties["updated"]);
    const gone = first!.rowKeys!.filter((k) => !again.rowKeys!.some((n) => n.pk === k.pk && n.sk === k.sk));
    expect(gone.length).toBeGreaterThan(0);
    expect(await new DynamoTable(app.doc, app.endpoints.dynamodb.table).batchGet(gone.map(keyOf))).toEqual(
      [],
    );
    const changes = await changesOf(C);
    expect(changes.filter((c) => c.kind === "updated")).toHaveLength(N);
    // One item per id.
    const found = await app.post("/search", { collections: [C], limit: 1000 });
    const ids = (found.body as { features: { id: string }[] }).features.map((f) => f.id);
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
    const moved = await app.post("/search", { collections: [C], ids: ["b-7"], bbox: [106, -24, 108, -22] });
    expect((moved.body as { features: unknown[] }).features).toHaveLength(1);
  });
});
