// Monthly stac-geoparquet snapshots: after items are written a refresh builds one file per collection
// and month, linked from the collection as assets served like item assets (302 to a presigned GET);
// after changes (an item moved to another month, one deleted, one added) the next refresh rebuilds just
// the months that changed; every file's rows equal the catalogue's items of that month. On AWS the
// lifecycle function runs the refresh as its daily `snapshots` job.
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeLifecycleHandler } from "../../lambdas/lifecycle/app.ts";
import { makeLifecycleDeps } from "../../lambdas/lifecycle/deps.ts";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { monthOf, refreshSnapshots, type SnapshotDeps } from "../../shared/export/snapshots.ts";
import { collectionKey, PK, SK } from "../../shared/index/keys.ts";
import { S3PartUploads } from "../../shared/jobs/multipart.ts";
import { silentLogger } from "../../shared/log.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { type ChangeLogTiming, DEFAULT_TIMING } from "../../shared/storage/dynamo-change-log.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

const TIMING: ChangeLogTiming = { settleMs: 50, graceMs: 2_000, writeDeadlineMs: 1_000 };
const settle = () => new Promise((r) => setTimeout(r, TIMING.settleMs + 30));
const operator = `Basic ${Buffer.from("operator:operator-password").toString("base64")}`;
let app: TestApp;
let deps: SnapshotDeps;

async function write(method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.api}${path}`, {
    method,
    headers: { authorization: operator, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
}

function item(id: string, datetime: string, properties: Record<string, unknown> = {}): StacItem {
  const i = makeItem({ id, collection: "snap", datetime, lon: 10, lat: 50, properties });
  const ring = (i.geometry as { coordinates: number[][][] }).coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return { ...i, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
}

/** The collection's snapshot assets as served, and each file's items read back through its link. */
async function served(): Promise<Record<string, StacItem[]>> {
  const res = await fetch(`${app.api}/collections/snap`);
  const c = (await res.json()) as {
    assets?: Record<string, { href: string; type: string; roles: string[]; title: string }>;
  };
  const out: Record<string, StacItem[]> = {};
  for (const [key, a] of Object.entries(c.assets ?? {})) {
    expect(a.type).toBe("application/vnd.apache.parquet");
    expect(a.roles).toContain("data");
    expect(a.title).toContain(key.slice("snapshot-".length));
    expect(a.href).toBe(`${app.api}/collections/snap/snapshots/${key.slice("snapshot-".length)}`);
    const redirect = await fetch(a.href, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const file = await fetch(redirect.headers.get("location")!);
    expect(file.status).toBe(200);
    const parsed = await readStacGeoparquet(new Uint8Array(await file.arrayBuffer()));
    expect(parsed.collections.map((x) => x.id)).toEqual(["snap"]);
    out[key] = parsed.items.sort((x, y) => x.id.localeCompare(y.id));
  }
  return out;
}

/** What the catalogue holds, by snapshot asset key: the rows every file must have. */
async function expected(ids: string[]): Promise<Record<string, StacItem[]>> {
  const found = await app.catalogue.getItems(ids.map((id) => ({ collection: "snap", id })));
  const out: Record<string, StacItem[]> = {};
  for (const s of [...found.values()].sort((x, y) => x.item.id.localeCompare(y.item.id))) {
    const key = `snapshot-${monthOf(s.item)}`;
    out[key] = [...(out[key] ?? []), s.item];
  }
  return out;
}

beforeAll(async () => {
  app = await startTestApp({ changeTiming: TIMING });
  deps = {
    catalogue: app.catalogue,
    changes: app.catalogue,
    objects: new S3ObjectStore(app.s3, app.bucket),
    uploads: new S3PartUploads(app.s3, app.bucket),
  };
  await write("POST", "/collections", makeCollection("snap", "Snapshots", "snapshot test", []));
  await write("POST", "/collections", makeCollection("other", "Other", "snapshot test", []));
});
afterAll(async () => {
  await app?.close();
});

describe("monthly stac-geoparquet snapshots", () => {
  it("appear after items are written, then follow changes month by month", async () => {
    await write(
      "POST",
      "/collections/snap/items",
      item("a1", "2024-05-03T10:00:00Z", { "eo:cloud_cover": 4 }),
    );
    await write("POST", "/collections/snap/items", item("a2", "2024-05-31T23:59:59.999Z"));
    await write("POST", "/collections/snap/items", item("b1", "2024-06-01T00:00:00Z"));
    const range = item("r1", "2024-06-10T00:00:00Z");
    range.properties = {
      datetime: null,
      start_datetime: "2024-06-10T00:00:00Z",
      end_datetime: "2024-08-10T00:00:00Z",
    };
    await write("POST", "/collections/snap/items", range);
    await settle();

    const first = await refreshSnapshots(deps);
    expect(first.full).toBe(true);
    expect(
      first.written.filter((w) => w.collection === "snap").sort((x, y) => x.month.localeCompare(y.month)),
    ).toEqual([
      { collection: "snap", month: "2024-05", items: 2 },
      { collection: "snap", month: "2024-06", items: 2 },
    ]);
    expect(await served()).toEqual(await expected(["a1", "a2", "b1", "r1"]));
    // Nothing for a month the collection has no snapshot of.
    expect(
      (await fetch(`${app.api}/collections/snap/snapshots/2024-07`, { redirect: "manual" })).status,
    ).toBe(404);

    // a2 moves to July, b1 goes, c1 arrives in July, a1 is updated in place; another collection changes too.
    await write("PUT", "/collections/snap/items/a2", item("a2", "2024-07-02T00:00:00Z"));
    await write("DELETE", "/collections/snap/items/b1");
    await write("POST", "/collections/snap/items", item("c1", "2024-07-15T00:00:00Z"));
    await write(
      "PUT",
      "/collections/snap/items/a1",
      item("a1", "2024-05-03T10:00:00Z", { "eo:cloud_cover": 9 }),
    );
    await write("POST", "/collections/other/items", {
      ...item("o1", "2023-01-01T00:00:00Z"),
      collection: "other",
    });
    await settle();

    const second = await refreshSnapshots(deps);
    expect(second.full).toBe(false);
    expect(second.changesRead).toBe(5);
    // May (a1 updated, a2 gone from it), June (b1 deleted) and July (a2, c1); not a month of "snap" more.
    expect(second.written.map((w) => `${w.collection}/${w.month}:${w.items}`).sort()).toEqual([
      "other/2023-01:1",
      "snap/2024-05:1",
      "snap/2024-06:1",
      "snap/2024-07:2",
    ]);
    const now = await served();
    expect(now).toEqual(await expected(["a1", "a2", "c1", "r1"]));
    expect(now["snapshot-2024-05"]![0]!.properties["eo:cloud_cover"]).toBe(9);

    // Nothing changed: nothing is rewritten.
    await settle();
    const third = await refreshSnapshots(deps);
    expect(third.written).toEqual([]);
    expect(third.changesRead).toBe(0);

    // The month's last item goes: its file and its asset go too.
    await write("DELETE", "/collections/snap/items/a1");
    await settle();
    const fourth = await refreshSnapshots(deps);
    expect(fourth.removed).toEqual([{ collection: "snap", month: "2024-05" }]);
    expect(Object.keys(await served()).sort()).toEqual(["snapshot-2024-06", "snapshot-2024-07"]);
    expect(
      (await fetch(`${app.api}/collections/snap/snapshots/2024-05`, { redirect: "manual" })).status,
    ).toBe(404);
  }, 60_000);

  it("are refreshed by the lifecycle function's snapshots job, as its daily schedule invokes it", async () => {
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
    });
    await write("POST", "/collections/snap/items", item("d1", "2024-09-15T12:00:00Z"));
    // The function reads the change log with the deployed timing: a change is read once it has settled.
    await new Promise((r) => setTimeout(r, DEFAULT_TIMING.settleMs + 100));
    const run = (await handler({ job: "snapshots" }, {} as Context)) as Awaited<
      ReturnType<typeof refreshSnapshots>
    >;
    expect(run.full).toBe(false);
    expect(run.written).toEqual([{ collection: "snap", month: "2024-09", items: 1 }]);
    expect((await served())["snapshot-2024-09"]).toEqual((await expected(["d1"]))["snapshot-2024-09"]);
    // Asked for, a full rebuild of every month.
    const full = (await handler({ job: "snapshots", full: true }, {} as Context)) as typeof run;
    expect(full.full).toBe(true);
    expect(full.written.map((w) => `${w.collection}/${w.month}`)).toContain("snap/2024-09");
  }, 60_000);

  it("keep a PUT of the collection that lands between the refresh's read of it and its write", async () => {
    await write("POST", "/collections/snap/items", item("e1", "2024-10-05T12:00:00Z"));
    await settle();
    // The refresh's own client: just before its first write of the collection, a client PUTs it.
    const key = collectionKey("snap");
    let raced = 0;
    const send = app.doc.send.bind(app.doc) as (...args: unknown[]) => Promise<unknown>;
    const doc = Object.create(app.doc) as DynamoDBDocumentClient;
    doc.send = (async (command: unknown, ...rest: unknown[]) => {
      const input = command instanceof UpdateCommand ? command.input : undefined;
      const names = Object.values(input?.ExpressionAttributeNames ?? {});
      const writesCollection =
        input?.Key?.[PK] === key.pk && input.Key[SK] === key.sk && names.includes("collection");
      if (writesCollection && raced++ === 0)
        await write(
          "PUT",
          "/collections/snap",
          makeCollection("snap", "Renamed meanwhile", "put by a client", []),
        );
      return send(command, ...rest);
    }) as typeof doc.send;
    const catalogue = new DynamoCatalogue(doc, app.endpoints.dynamodb.table, { changeTiming: TIMING });
    const run = await refreshSnapshots({ ...deps, catalogue });
    expect(raced).toBeGreaterThanOrEqual(1);
    expect(run.written).toEqual([{ collection: "snap", month: "2024-10", items: 1 }]);
    const c = (await (await fetch(`${app.api}/collections/snap`)).json()) as {
      title: string;
      description: string;
      assets?: Record<string, unknown>;
    };
    expect(c.title).toBe("Renamed meanwhile");
    expect(c.description).toBe("put by a client");
    expect(Object.keys(c.assets ?? {})).toContain("snapshot-2024-10");
  }, 60_000);
});
