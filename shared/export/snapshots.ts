// Per-collection monthly stac-geoparquet snapshots in the products bucket (`_snapshots/{collection}/
// {YYYY-MM}.parquet`, a month being that of the item's datetime, else its start_datetime), linked from
// each collection as assets. A refresh reads the change log from where the last one stopped and rebuilds
// only the months that changed: those of created and updated items, and those whose file holds an
// updated or deleted item (its datetime may have moved, or it is gone). The first refresh (no state
// yet) builds every month from one newest-first pass over each collection.

import { UNRESTRICTED } from "../auth/authorize.ts";
import { toIndexTime } from "../index/time.ts";
import { SNAPSHOTS_PREFIX } from "../products/object-home.ts";
import { ALL_TIME, type Interval } from "../search/datetime.ts";
import { searchItems } from "../search/search.ts";
import type { Asset, StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { ChangeLogReader } from "../storage/changes.ts";
import type { ObjectRemover, ObjectStore } from "../storage/object-store.ts";
import { writeStacGeoparquet } from "./geoparquet-write.ts";
import { snapshotIds } from "./snapshot-ids.ts";
import { PARQUET_MEDIA_TYPE, snapshotAssetKey, snapshotKey, snapshotMonth } from "./snapshot-keys.ts";

export interface SnapshotDeps {
  catalogue: Catalogue;
  changes: ChangeLogReader;
  /** The products bucket. */
  objects: ObjectStore & ObjectRemover;
  clock?: () => number;
  /** Items per search page (default 1,000). */
  pageSize?: number;
}

export interface SnapshotRun {
  /** Months written, with their item counts. */
  written: { collection: string; month: string; items: number }[];
  /** Months whose last item went: file and asset removed. */
  removed: { collection: string; month: string }[];
  changesRead: number;
  full: boolean;
  cursor: string;
}

interface SnapshotState {
  cursor: string;
  at: string;
}

const STATE_KEY = `${SNAPSHOTS_PREFIX}state.json`;
/** The month an item is filed under: that of its datetime, else of its start_datetime. */
export function monthOf(item: StacItem): string {
  const p = item.properties;
  return toIndexTime(String(p.datetime ?? p["start_datetime"])).slice(0, 7);
}

function monthInterval(month: string): Interval {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const from = new Date(Date.UTC(y, m - 1, 1));
  from.setUTCFullYear(y);
  const to = new Date(from);
  to.setUTCMonth(to.getUTCMonth() + 1);
  return { from: from.toISOString(), to: new Date(to.getTime() - 1).toISOString() };
}

/** Every item of a collection in an interval, page by page (newest first), superseded versions too. */
async function* itemsOf(
  deps: SnapshotDeps,
  collection: string,
  interval: Interval,
): AsyncGenerator<StacItem> {
  let token: string | undefined;
  do {
    const page = await searchItems(
      deps.catalogue,
      {
        collections: [collection],
        interval,
        limit: deps.pageSize ?? 1000,
        versions: "all",
        ...(token ? { token } : {}),
      },
      UNRESTRICTED,
      { count: false },
    );
    yield* page.items;
    token = page.nextToken;
  } while (token);
}

function snapshotAsset(
  bucket: string,
  collection: string,
  month: string,
  items: number,
  bytes: number,
): Asset {
  return {
    href: `s3://${bucket}/${snapshotKey(collection, month)}`,
    type: PARQUET_MEDIA_TYPE,
    roles: ["data", "collection-mirror"],
    title: `${month}: the collection's items as stac-geoparquet`,
    description: `Every item of '${collection}' whose datetime (or start_datetime) falls in ${month}: ${items} items, one row each (stac-geoparquet 1.1.0). Rebuilt when an item of that month changes.`,
    "file:size": bytes,
  };
}

async function readState(deps: SnapshotDeps): Promise<SnapshotState | undefined> {
  if (!(await deps.objects.head(STATE_KEY))) return undefined;
  return JSON.parse(new TextDecoder().decode(await deps.objects.getObject(STATE_KEY))) as SnapshotState;
}

/** The months to rebuild, per collection, from the change log since `since`; and where it ends. */
async function changedMonths(deps: SnapshotDeps, since: string) {
  const touched = new Map<string, { changed: Set<string>; moved: Set<string> }>();
  let cursor = since;
  let read = 0;
  for (;;) {
    const page = await deps.changes.readChanges({ since: cursor, limit: 1000 });
    for (const c of page.changes) {
      let t = touched.get(c.collection);
      if (!t) {
        t = { changed: new Set(), moved: new Set() };
        touched.set(c.collection, t);
      }
      if (c.kind !== "deleted") t.changed.add(c.id);
      if (c.kind !== "created") t.moved.add(c.id);
    }
    read += page.changes.length;
    if (page.next === undefined || page.next === cursor) break;
    cursor = page.next;
  }
  const months = new Map<string, Set<string>>();
  for (const [collection, t] of touched) {
    const set = new Set<string>();
    months.set(collection, set);
    const found = await deps.catalogue.getItems([...t.changed].map((id) => ({ collection, id })));
    for (const s of found.values()) set.add(monthOf(s.item));
    if (t.moved.size === 0) continue;
    // Where an updated or deleted item was: the months whose file lists it.
    const rec = await deps.catalogue.getCollection(collection);
    for (const key of Object.keys(rec?.collection.assets ?? {})) {
      const month = snapshotMonth(key);
      if (!month || set.has(month)) continue;
      const head = await deps.objects.head(snapshotKey(collection, month));
      if (!head) continue;
      const ids = await snapshotIds(deps.objects, snapshotKey(collection, month), head.size);
      if (ids.some((id) => t.moved.has(id))) set.add(month);
    }
  }
  return { months, cursor, read };
}

/** Writes (or removes, when empty) one month's file; the asset it should have, or undefined. */
async function writeMonth(
  deps: SnapshotDeps,
  collection: string,
  month: string,
  items: StacItem[],
  run: SnapshotRun,
): Promise<Asset | undefined> {
  const key = snapshotKey(collection, month);
  if (items.length === 0) {
    if (await deps.objects.head(key)) await deps.objects.deleteObject(key);
    run.removed.push({ collection, month });
    return undefined;
  }
  const rec = await deps.catalogue.getCollection(collection);
  const bytes = writeStacGeoparquet(items, rec ? { collections: [rec.collection] } : {});
  await deps.objects.putObject(key, bytes, PARQUET_MEDIA_TYPE);
  run.written.push({ collection, month, items: items.length });
  return snapshotAsset(deps.objects.bucket, collection, month, items.length, bytes.length);
}

/** Sets the collection's snapshot assets: `assets` for these months, all others kept (or, with `only`, dropped). */
async function linkAssets(
  deps: SnapshotDeps,
  collection: string,
  assets: Map<string, Asset | undefined>,
  only = false,
): Promise<void> {
  // Only the assets change, on the collection as stored, and only if no PUT landed since it was read.
  await deps.catalogue.updateCollection(collection, (c) => {
    const next: Record<string, Asset> = {};
    for (const [k, a] of Object.entries(c.assets ?? {})) {
      const month = snapshotMonth(k);
      if (month && (only || assets.has(month))) continue;
      next[k] = a;
    }
    for (const [month, a] of [...assets].sort(([x], [y]) => x.localeCompare(y)))
      if (a) next[snapshotAssetKey(month)] = a;
    return { ...c, assets: next };
  });
}

/** Every month of a collection from one newest-first pass; months no longer holding items are removed. */
async function rebuildCollection(deps: SnapshotDeps, collection: string, run: SnapshotRun): Promise<void> {
  const assets = new Map<string, Asset | undefined>();
  let month: string | undefined;
  let batch: StacItem[] = [];
  const flush = async () => {
    if (month !== undefined) assets.set(month, await writeMonth(deps, collection, month, batch, run));
  };
  // Newest first by the sort instant, which is what months are cut on: each month's items are adjacent.
  for await (const item of itemsOf(deps, collection, ALL_TIME)) {
    const m = monthOf(item);
    if (m !== month) {
      await flush();
      month = m;
      batch = [];
    }
    batch.push(item);
  }
  await flush();
  const rec = await deps.catalogue.getCollection(collection);
  for (const k of Object.keys(rec?.collection.assets ?? {})) {
    const gone = snapshotMonth(k);
    if (gone && !assets.has(gone)) await writeMonth(deps, collection, gone, [], run);
  }
  await linkAssets(deps, collection, assets, true);
}

/**
 * Brings every collection's snapshots up to date with the change log and saves where it stopped.
 * `full` rebuilds every month of every collection (as the first run does).
 */
export async function refreshSnapshots(
  deps: SnapshotDeps,
  opts: { full?: boolean } = {},
): Promise<SnapshotRun> {
  const now = deps.clock ?? Date.now;
  const startedAt = new Date(now()).toISOString();
  const state = opts.full ? undefined : await readState(deps);
  const run: SnapshotRun = { written: [], removed: [], changesRead: 0, full: !state, cursor: startedAt };
  if (!state) {
    // Changes from now on are the next run's: anything written meanwhile is in both, which is harmless.
    for (const rec of await deps.catalogue.listCollections())
      await rebuildCollection(deps, rec.collection.id, run);
  } else {
    const { months, cursor, read } = await changedMonths(deps, state.cursor);
    run.changesRead = read;
    run.cursor = cursor;
    for (const [collection, set] of months) {
      const assets = new Map<string, Asset | undefined>();
      for (const month of [...set].sort()) {
        const items: StacItem[] = [];
        for await (const item of itemsOf(deps, collection, monthInterval(month)))
          if (monthOf(item) === month) items.push(item);
        assets.set(month, await writeMonth(deps, collection, month, items, run));
      }
      if (assets.size) await linkAssets(deps, collection, assets);
    }
  }
  const saved: SnapshotState = { cursor: run.cursor, at: startedAt };
  await deps.objects.putObject(STATE_KEY, JSON.stringify(saved), "application/json");
  return run;
}
