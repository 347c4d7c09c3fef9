// The retention job over the real table and bucket: a dry run deletes nothing; an eviction killed
// half-way (after N tombstones, N index deletions or N object removals) and run again ends exactly as
// an uninterrupted one: every expired product gone with one tombstone, each deleted once, every kept
// product and its object still there.
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLifecycleHandler } from "../../lambdas/lifecycle/app.ts";
import { type LifecycleJobDeps, makeLifecycleDeps } from "../../lambdas/lifecycle/deps.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { type RetentionReport, runRetention } from "../../shared/lifecycle/retention.ts";
import { parseRetentionPolicies } from "../../shared/lifecycle/retention-policy.ts";
import { silentLogger } from "../../shared/log.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const NOW = new Date("2024-07-01T00:00:00Z");
const CZ = [
  [12.09, 48.55],
  [18.86, 48.55],
  [18.86, 51.06],
  [12.09, 51.06],
  [12.09, 48.55],
];
const policyFor = (collection: string) =>
  parseRetentionPolicies(
    JSON.stringify({
      policies: [
        {
          collection,
          rules: [
            { name: "inside CZ", region: { type: "Polygon", coordinates: [CZ] }, keepMonths: 36 },
            { name: "elsewhere", keepDays: 14 },
          ],
        },
      ],
    }),
  );

/** id → whether the policy keeps it on NOW. */
const PRODUCTS: { id: string; lon: number; datetime: string; kept: boolean }[] = [
  ...[0, 1, 2, 3].map((i) => ({
    id: `cz-recent-${i}`,
    lon: 14 + i * 0.5,
    datetime: `2024-0${i + 1}-10T10:00:00Z`,
    kept: true,
  })),
  ...[0, 1].map((i) => ({
    id: `cz-old-${i}`,
    lon: 15 + i,
    datetime: `2020-0${i + 1}-10T10:00:00Z`,
    kept: false,
  })),
  ...[0, 1, 2, 3, 4, 5, 6].map((i) => ({
    id: `fr-old-${i}`,
    lon: 1 + i * 0.3,
    datetime: `2024-0${(i % 5) + 1}-20T10:00:00Z`,
    kept: false,
  })),
  ...[0, 1].map((i) => ({
    id: `fr-fresh-${i}`,
    lon: 2 + i,
    datetime: `2024-06-2${5 + i}T10:00:00Z`,
    kept: true,
  })),
];
const expired = PRODUCTS.filter((p) => !p.kept)
  .map((p) => p.id)
  .sort();
const kept = PRODUCTS.filter((p) => p.kept)
  .map((p) => p.id)
  .sort();

function deps(): LifecycleJobDeps {
  const d = makeLifecycleDeps({
    doc: app.doc,
    s3: app.s3,
    table: app.endpoints.dynamodb.table,
    productsBucket: app.bucket,
    log: silentLogger,
  });
  return { ...d, now: () => NOW };
}

async function seedCollection(collection: string): Promise<void> {
  await app.catalogue.putCollection(makeCollection(collection, collection, "retention test", []));
  for (const p of PRODUCTS) {
    const item = makeItem({ id: p.id, collection, datetime: p.datetime, lon: p.lon, lat: 49.5, size: 0.2 });
    const key = `${collection}/${p.id}.zip`;
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: p.id }));
    const built = buildItemRows(item, "v1");
    await app.catalogue.putItem(item, built.rows, built.record, "v1", key);
  }
}

const objectExists = (key: string) =>
  app.s3.send(new HeadObjectCommand({ Bucket: app.bucket, Key: key })).then(
    () => true,
    () => false,
  );

/** Deps whose `kind` of write throws after `n` of them, and that count successful item deletions by id. */
function faulty(kind: "tombstone" | "index" | "objects" | "none", n: number, deletions: Map<string, number>) {
  const d = deps();
  let calls = 0;
  const tick = (k: typeof kind) => {
    if (k === kind && ++calls > n) throw new Error(`killed after ${n} ${kind} writes`);
  };
  const catalogue = d.catalogue;
  return {
    ...d,
    catalogue: Object.assign(Object.create(catalogue), {
      deleteItem: async (...a: Parameters<typeof catalogue.deleteItem>) => {
        tick("index");
        const done = await catalogue.deleteItem(...a);
        if (done) deletions.set(a[1], (deletions.get(a[1]) ?? 0) + 1);
        return done;
      },
    }),
    tombstones: Object.assign(Object.create(d.tombstones), {
      putTombstone: (t: Parameters<typeof d.tombstones.putTombstone>[0]) => {
        tick("tombstone");
        return d.tombstones.putTombstone(t);
      },
    }),
    objects: Object.assign(Object.create(d.objects), {
      deleteObject: (key: string) => {
        tick("objects");
        return d.objects.deleteObject(key);
      },
    }),
  } as LifecycleJobDeps;
}

async function endState(collection: string) {
  const items = (
    await Promise.all(
      PRODUCTS.map(async (p) => ((await app.catalogue.getItem(collection, p.id)) ? p.id : undefined)),
    )
  )
    .filter((x) => x !== undefined)
    .sort();
  const objects = (
    await Promise.all(
      PRODUCTS.map(async (p) => ((await objectExists(`${collection}/${p.id}.zip`)) ? p.id : undefined)),
    )
  )
    .filter((x) => x !== undefined)
    .sort();
  const page = await app.catalogue.tombstoneStore.listTombstones({ collection, limit: 1000 });
  return {
    items,
    objects,
    tombstones: page.tombstones.map((t) => t.id).sort(),
    unfinished: page.tombstones.filter((t) => !t.objectsRemovedAt).map((t) => t.id),
    causes: [...new Set(page.tombstones.map((t) => t.deletion.cause))],
  };
}

beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(() => app?.close());

describe("retention", () => {
  it("in a dry run lists what expired and deletes nothing", async () => {
    await seedCollection("ret-dry");
    const r = await runRetention(deps(), policyFor("ret-dry"), { dryRun: true });
    expect(r.expired.map((e) => e.id).sort()).toEqual(expired);
    expect(r.expired.find((e) => e.id === "cz-old-0")?.rule).toBe("inside CZ");
    expect(r.evicted).toBe(0);
    expect(await endState("ret-dry")).toMatchObject({ items: [...kept, ...expired].sort(), tombstones: [] });
  });

  it.each([
    ["none", 0],
    ["tombstone", 4],
    ["index", 3],
    ["objects", 5],
    ["objects", 0],
  ] as const)("killed after %s write %i and run again, ends as one clean run would", async (kind, n) => {
    const collection = `ret-${kind}-${n}`;
    await seedCollection(collection);
    const deletions = new Map<string, number>();
    const first = runRetention(faulty(kind, n, deletions), policyFor(collection), { dryRun: false });
    if (kind === "none") await first;
    else await expect(first).rejects.toThrow(/killed after/);
    const again = await runRetention(faulty("none", 0, deletions), policyFor(collection), { dryRun: false });
    const end = await endState(collection);
    expect(end).toEqual({
      items: kept,
      objects: kept,
      tombstones: expired,
      unfinished: [],
      causes: ["automatic-eviction"],
    });
    // Each expired item's record was deleted exactly once over both runs; no kept one ever.
    expect(Object.fromEntries(deletions)).toEqual(Object.fromEntries(expired.map((id) => [id, 1])));
    if (kind === "none") expect(again.evicted + again.completed).toBe(0);
  });
});

describe("the scheduled lifecycle function", () => {
  it("runs the job its rule names on the input it reads, and does nothing without one", async () => {
    await seedCollection("ret-lambda");
    const policy = JSON.stringify({
      policies: [{ collection: "ret-lambda", rules: [{ name: "everywhere", keepDays: 14 }] }],
    });
    const inputs: Record<string, string> = { "retention.json": policy };
    const handler = makeLifecycleHandler({
      jobs: deps(),
      readInput: async (key) => inputs[key],
      deletionsKey: "upstream/deleted-products.json",
      retentionKey: "retention.json",
    });
    const ctx = {} as Context;
    const dry = (await handler({ job: "retention", dryRun: true }, ctx)) as RetentionReport;
    expect(dry.expired.map((e) => e.id).sort()).toEqual(
      PRODUCTS.filter((p) => !p.id.startsWith("fr-fresh"))
        .map((p) => p.id)
        .sort(),
    );
    expect(await handler({ job: "sync-deletions" }, ctx)).toEqual({
      job: "sync-deletions",
      skipped: "no upstream/deleted-products.json",
    });
    inputs["retention.json"] = '{"policies": [{"collection": "ret-lambda", "rules": []}]}';
    await expect(handler({ job: "retention" }, ctx)).rejects.toThrow(
      /line 1: policies\[0\]\.rules must be a non-empty array/,
    );
    expect((await endState("ret-lambda")).tombstones).toEqual([]);
  });
});
