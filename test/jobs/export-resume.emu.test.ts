// A stac-geoparquet export as the jobs function runs it on AWS, each invocation one step (the time runs
// out at once), and killed again and again between a step and its checkpoint: the retried invocation
// (Lambda retries an asynchronous event) takes the job on from the last checkpoint, writes its part
// again, and the result is byte for byte the file of an export never killed, one valid stac-geoparquet
// file (ours and DuckDB's reader) with every item; the spool and the conversion's kept objects are gone.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeJobRunnerDeps } from "../../lambdas/jobs/deps.ts";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { type Job, type JobEvent, parseJobEvent } from "../../shared/jobs/model.ts";
import { runJob } from "../../shared/jobs/runner.ts";
import type { JobStore } from "../../shared/jobs/store.ts";
import { silentLogger } from "../../shared/log.ts";
import { signedPagingTokens } from "../../shared/search/paging-tokens.ts";
import { makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { duck, duckRead } from "../support/duckdb.ts";

const dir = mkdtempSync(join(tmpdir(), "export-resume-"));

let app: TestApp;
const ITEMS = 41;

beforeAll(async () => {
  app = await startTestApp();
  await seed(
    app,
    [makeCollection("open-s2", "S2", "test", [])],
    Array.from({ length: ITEMS }, (_, i) =>
      makeItem({
        id: `s2-${String(i).padStart(2, "0")}`,
        collection: "open-s2",
        datetime: `2024-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:0${i % 10}Z`,
        lon: i % 90,
        lat: 40,
        ...(i % 7 === 6 ? { properties: { "eo:cloud_cover": i + 0.5, title: `Überflug ${i}` } } : {}),
      }),
    ),
  );
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one export to its end, one step an invocation; `killAt`: the saves (by count) that never happen. */
async function runExport(id: string, killAt: Set<number>) {
  const started: JobEvent[] = [];
  const deps = makeJobRunnerDeps({
    doc: app.doc,
    s3: app.s3,
    table: app.endpoints.dynamodb.table,
    jobsBucket: app.jobsBucket,
    productsBucket: app.bucket,
    tokens: signedPagingTokens(async () => new Uint8Array(32).fill(7)),
    log: silentLogger,
    starter: { start: async (e) => void started.push(e) },
    // Pages of 5 items, row groups of 3, a part per step (1 byte is enough): many steps from few items.
    export: { pageSize: 5, rows: 3, partBytes: 1 },
  });
  const store = deps.store;
  let saves = 0;
  let died: (() => void) | undefined;
  const dying: JobStore = {
    create: (j) => store.create(j),
    get: (i) => store.get(i),
    update(job: Job, run: number) {
      if (!killAt.has(++saves)) return store.update(job, run);
      // The process is gone: this save never lands, and nothing after it runs.
      died?.();
      return new Promise<boolean>(() => {});
    },
  };
  await store.create({
    id,
    kind: "export",
    owner: "alice",
    created: new Date().toISOString(),
    updated: new Date().toISOString(),
    status: "queued",
    run: 0,
    spec: {
      search: { collections: ["open-s2"], sortby: [{ field: "id", direction: "asc" }] },
      format: "geoparquet",
      baseUrl: app.api,
    },
    counts: {},
  });
  let event = { id, run: 0 };
  let invocations = 0;
  let converting = 0;
  let kills = 0;
  for (;;) {
    invocations++;
    const at = (await store.get(id))!.checkpoint as { spool?: string } | undefined;
    if (at?.spool) converting++;
    const killed = new Promise<"killed">((r) => {
      died = () => r("killed");
    });
    const outcome = await Promise.race([
      runJob({ ...deps, store: dying }, event, { remainingMs: () => 0 }),
      killed,
    ]);
    if (outcome === "killed") {
      kills++;
      continue; // Lambda retries the same event
    }
    const job = (await store.get(id))!;
    if (job.status === "succeeded" || job.status === "failed") return { job, invocations, converting, kills };
    const next = started.pop();
    expect(next).toBeDefined();
    event = parseJobEvent(next);
  }
}

async function resultOf(job: Job): Promise<Uint8Array> {
  const out = await app.s3.send(new GetObjectCommand({ Bucket: job.result!.bucket, Key: job.result!.key }));
  return new Uint8Array(await out.Body!.transformToByteArray());
}

describe("stac-geoparquet export across invocations", () => {
  it("resume exactly after kills between a step and its checkpoint, into one valid file", async () => {
    const whole = await runExport("never-killed", new Set());
    expect(whole.job.status, whole.job.error).toBe("succeeded");
    expect(whole.kills).toBe(0);
    // Spool: 9 pages of 5; conversion: 14 row groups of 3, a step each, then the footer and the clean-up.
    expect(whole.converting).toBeGreaterThanOrEqual(14);
    expect(whole.invocations).toBeGreaterThanOrEqual(9 + 14);
    console.log(
      `export of ${ITEMS} items: ${whole.invocations} invocations (${whole.converting} converting)`,
    );
    const killed = await runExport("killed", new Set([3, 8, 14, 20, 33, 41, 47, 55, 62, 70, 75]));
    expect(killed.job.status, killed.job.error).toBe("succeeded");
    expect(killed.kills).toBeGreaterThanOrEqual(10);
    console.log(
      `killed ${killed.kills} times: ${killed.invocations} invocations (${killed.converting} converting)`,
    );
    const a = await resultOf(whole.job);
    const b = await resultOf(killed.job);
    expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    expect(killed.job.counts).toMatchObject({ items: ITEMS, bytes: b.length });
    const file = await readStacGeoparquet(b);
    expect(file.items.map((i) => i.id)).toEqual(
      Array.from({ length: ITEMS }, (_, i) => `s2-${String(i).padStart(2, "0")}`),
    );
    expect(file.collections.map((c) => c.id)).toEqual(["open-s2"]);
    // Nothing but the two results is left under exports/.
    const left = await app.s3.send(new ListObjectsV2Command({ Bucket: app.jobsBucket, Prefix: "exports/" }));
    expect((left.Contents ?? []).map((o) => o.Key).sort()).toEqual([
      "exports/killed.parquet",
      "exports/never-killed.parquet",
    ]);
    if (duck) {
      const path = join(dir, "killed.parquet");
      writeFileSync(path, b);
      const rows = await duckRead(
        `SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM read_parquet('${path}')`,
      );
      expect(rows).toEqual([{ n: ITEMS, ids: ITEMS }]);
    }
  });
});
