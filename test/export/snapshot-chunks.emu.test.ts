// A snapshot refresh in bounded chunks (shared/export/snapshot-month.ts): with pages of 4 items, row
// groups of 5 and a part per row group, a refresh stopped after every chunk needs many invocations, and
// one killed between a chunk and the save of its state (again and again) redoes just that chunk: exactly
// one invocation more per kill. Each month is one file, whole (ours and DuckDB's reader), in row groups
// no larger than a row group and a page: what a chunk holds at most. The lifecycle function, out of time,
// invokes itself to go on.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type LifecycleEvent,
  makeLifecycleHandler,
  SNAPSHOTS_MARGIN_MS,
} from "../../lambdas/lifecycle/app.ts";
import { makeLifecycleDeps } from "../../lambdas/lifecycle/deps.ts";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { snapshotKey } from "../../shared/export/snapshot-keys.ts";
import { monthOf, refreshSnapshots, type SnapshotDeps } from "../../shared/export/snapshots.ts";
import { S3PartUploads } from "../../shared/jobs/multipart.ts";
import { silentLogger } from "../../shared/log.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { duck, duckRead } from "../support/duckdb.ts";

const dir = mkdtempSync(join(tmpdir(), "snapshot-chunks-"));

let app: TestApp;
const MAY = 37;
const JUNE = 6;
const PAGE = 4;
const ROWS = 5;
const items: StacItem[] = [
  ...Array.from({ length: MAY }, (_, i) =>
    makeItem({
      id: `m-${String(i).padStart(2, "0")}`,
      collection: "big",
      datetime: `2024-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:0${i % 10}Z`,
      lon: i % 90,
      lat: 40,
      // A column only a few items have, late in the month's newest-first order.
      ...(i % 9 === 2 ? { properties: { "eo:cloud_cover": i + 0.5 } } : {}),
    }),
  ),
  ...Array.from({ length: JUNE }, (_, i) =>
    makeItem({ id: `j-${i}`, collection: "big", datetime: `2024-06-0${1 + i}T00:00:00Z`, lon: i, lat: 10 }),
  ),
];

beforeAll(async () => {
  app = await startTestApp();
  await seed(app, [makeCollection("big", "Big", "test", [])], items);
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A full refresh, stopped after every chunk and run again; `kill`: which state saves never land. */
async function refresh(kill: (n: number, state: string) => boolean) {
  const objects = new S3ObjectStore(app.s3, app.bucket);
  let saves = 0;
  let died: (() => void) | undefined;
  const dying = new Proxy(objects, {
    get(target, prop, receiver) {
      if (prop !== "putObject") return Reflect.get(target, prop, receiver);
      return (key: string, body: Uint8Array | string, type?: string) => {
        if (!key.endsWith("state.json") || !kill(++saves, String(body)))
          return target.putObject(key, body, type);
        died?.();
        return new Promise<void>(() => {}); // the process is gone
      };
    },
  });
  const deps: SnapshotDeps = {
    catalogue: app.catalogue,
    changes: app.catalogue,
    objects: dying,
    uploads: new S3PartUploads(app.s3, app.bucket),
    settings: { pageSize: PAGE, rows: ROWS, partBytes: 1 },
  };
  let calls = 0;
  let kills = 0;
  let full = true;
  for (;;) {
    calls++;
    const killed = new Promise<"killed">((r) => {
      died = () => r("killed");
    });
    const run = await Promise.race([refreshSnapshots(deps, { full, stop: () => true }), killed]);
    if (run === "killed") {
      kills++;
      continue;
    }
    // The refresh under way goes on; asking for `full` again would start it over.
    full = false;
    if (run.done) return { calls, kills };
  }
}

async function month(m: string): Promise<Uint8Array> {
  return new S3ObjectStore(app.s3, app.bucket).getObject(snapshotKey("big", m));
}

describe("snapshot refresh in chunks", () => {
  it("resume after kills between a chunk and its saved state, redoing only that chunk", async () => {
    const whole = await refresh(() => false);
    // May: 10 pages of 4, planned 2 pages (8 items) a chunk: 5 chunks; then 5 parts of 8 rows or fewer;
    // then completing the upload: 11. June: 6 items, planned in 1, written in 1, completed in 1.
    expect(whole.calls).toBe(11 + 3);
    console.log(`full refresh of ${items.length} items: ${whole.calls} invocations`);
    // Killed in planning, in writing, and once right after May's upload completed (its retry finds the
    // upload gone and the file there).
    let mayDone = false;
    const killed = await refresh((n, state) => {
      const first = !mayDone && JSON.parse(state).pending?.todo[0]?.month === "2024-06";
      if (first) mayDone = true;
      return first || [2, 5, 9, 13, 14].includes(n);
    });
    expect(killed.kills).toBe(6);
    expect(killed.calls).toBe(whole.calls + killed.kills);
    for (const [m, n] of [
      ["2024-05", MAY],
      ["2024-06", JUNE],
    ] as const) {
      const bytes = await month(m);
      const file = await readStacGeoparquet(bytes);
      const want = items.filter((i) => monthOf(i) === m).map((i) => i.id);
      expect(file.items.map((i) => i.id).sort()).toEqual(want.sort());
      expect(file.items).toHaveLength(n);
      const stored = await app.catalogue.getItems(want.map((id) => ({ collection: "big", id })));
      const byId = new Map([...stored.values()].map((s) => [s.item.id, s.item]));
      for (const i of file.items) expect(i).toEqual(byId.get(i.id));
      if (!duck) continue;
      const path = join(dir, `${m}.parquet`);
      writeFileSync(path, bytes);
      const read = duckRead;
      expect(await read(`SELECT count(DISTINCT id)::INT AS n FROM read_parquet('${path}')`)).toEqual([{ n }]);
      const groups = await read(
        `SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${path}')`,
      );
      // A chunk holds a row group's items and at most a page more, never the month.
      expect(groups.length).toBeGreaterThan(1);
      for (const g of groups) expect(Number(g["row_group_num_rows"])).toBeLessThanOrEqual(ROWS + PAGE - 1);
    }
  }, 120_000);

  it("go on in a new invocation of the lifecycle function when its time runs low", async () => {
    const again: { name: string; event: LifecycleEvent }[] = [];
    const handler = makeLifecycleHandler({
      jobs: makeLifecycleDeps({
        doc: app.doc,
        s3: app.s3,
        table: app.endpoints.dynamodb.table,
        productsBucket: app.bucket,
        log: silentLogger,
      }),
      readInput: async () => undefined,
      deletionsKey: "deletions.json",
      retentionKey: "retention.json",
      continueWith: async (name, event) => void again.push({ name, event }),
    });
    // Less than the margin left: one chunk, then the next invocation.
    const low = { functionName: "lifecycle", getRemainingTimeInMillis: () => SNAPSHOTS_MARGIN_MS - 1 };
    const first = (await handler({ job: "snapshots", full: true }, low as unknown as Context)) as Awaited<
      ReturnType<typeof refreshSnapshots>
    >;
    expect(first).toMatchObject({ done: false, full: true });
    expect(again).toEqual([{ name: "lifecycle", event: { job: "snapshots" } }]);
    // The next one, with time enough, finishes what the first started.
    const plenty = { functionName: "lifecycle", getRemainingTimeInMillis: () => 600_000 };
    const second = (await handler(again[0]!.event, plenty as unknown as Context)) as typeof first;
    expect(second).toMatchObject({ done: true, full: true, left: 0 });
    expect(second.written.map((w) => `${w.month}:${w.items}`)).toEqual([`2024-05:${MAY}`, `2024-06:${JUNE}`]);
    expect(again).toHaveLength(1);
  });
});
