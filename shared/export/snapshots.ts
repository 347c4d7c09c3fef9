// Per-collection monthly stac-geoparquet snapshots in the products bucket (`_snapshots/{collection}/
// {YYYY-MM}.parquet`, a month being that of the item's datetime, else its start_datetime), linked from
// each collection as assets. A refresh reads the change log from where the last one stopped and rebuilds
// only the months that changed: those of created and updated items, and those whose file holds an
// updated or deleted item (its datetime may have moved, or it is gone). The first refresh (no state
// yet) builds every month of every collection, from its oldest item's to its newest's. A refresh works
// month after month in bounded chunks (snapshot-month.ts) and saves where it stands in its state after
// each, so that a refresh stopped (its time ran out, or it died) goes on from there when run again.

import { randomBytes } from "node:crypto";
import { UNRESTRICTED } from "../auth/authorize.ts";
import { toIndexTime } from "../index/time.ts";
import { SNAPSHOTS_PREFIX } from "../products/object-home.ts";
import { ALL_TIME } from "../search/datetime.ts";
import { signedPagingTokens } from "../search/paging-tokens.ts";
import { searchItems } from "../search/search.ts";
import type { Asset, StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { ChangeLogReader } from "../storage/changes.ts";
import type { ObjectRemover, ObjectStore } from "../storage/object-store.ts";
import { snapshotIds } from "./snapshot-ids.ts";
import { PARQUET_MEDIA_TYPE, snapshotAssetKey, snapshotKey, snapshotMonth } from "./snapshot-keys.ts";
import {
  DEFAULT_MONTH_SETTINGS,
  type MonthProgress,
  type MonthSettings,
  type MonthUploads,
  monthChunk,
  startMonth,
} from "./snapshot-month.ts";

export interface SnapshotDeps {
  catalogue: Catalogue;
  changes: ChangeLogReader;
  /** The products bucket. */
  objects: ObjectStore & ObjectRemover;
  /** Multipart uploads to the products bucket: a month's file is written in parts. */
  uploads: MonthUploads;
  clock?: () => number;
  /** Page, row group and part sizes (default: pages of 1,000, row groups of 10,000, parts of 8 MiB). */
  settings?: Partial<MonthSettings>;
}

export interface SnapshotRun {
  /** Months written, with their item counts. */
  written: { collection: string; month: string; items: number }[];
  /** Months whose last item went: file and asset removed. */
  removed: { collection: string; month: string }[];
  changesRead: number;
  full: boolean;
  cursor: string;
  /** False: the refresh stopped before its end (`stop`); run it again to go on from where it stands. */
  done: boolean;
  /** Months left to rebuild, when not done. */
  left: number;
}

interface SnapshotState {
  cursor: string;
  at: string;
  /** A refresh under way, where it stands: saved after each chunk of a month. */
  pending?: PendingRefresh;
}

interface PendingRefresh {
  full: boolean;
  startedAt: string;
  /** The change log's cursor the refresh saves when it ends. */
  cursor: string;
  changesRead: number;
  /** Signs the paging tokens a month's progress holds, which a later invocation opens. */
  tokenKey: string;
  /** Months left to rebuild, in order; the first is under way when `month` is set. */
  todo: { collection: string; month: string }[];
  month?: MonthProgress;
}

const STATE_KEY = `${SNAPSHOTS_PREFIX}state.json`;
/** The month an item is filed under: that of its datetime, else of its start_datetime. */
export function monthOf(item: StacItem): string {
  const p = item.properties;
  return toIndexTime(String(p.datetime ?? p["start_datetime"])).slice(0, 7);
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

/** YYYY-MM of every month from `first` to `last`. */
function monthsFrom(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split("-").map(Number) as [number, number];
  for (;;) {
    const month = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
    if (month > last) return out;
    out.push(month);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
}

/** Every month a full rebuild writes: from the collection's oldest item's to its newest's, and those with a file. */
async function allMonths(deps: SnapshotDeps, collection: string): Promise<string[]> {
  const end = async (oldest: boolean) => {
    const page = await searchItems(
      deps.catalogue,
      {
        collections: [collection],
        interval: ALL_TIME,
        limit: 1,
        versions: "all",
        ...(oldest ? { sortby: [{ field: "datetime", direction: "asc" as const }] } : {}),
      },
      UNRESTRICTED,
      { count: false },
    );
    return page.items[0] ? monthOf(page.items[0]) : undefined;
  };
  const [first, last] = [await end(true), await end(false)];
  const months = new Set(first && last ? monthsFrom(first, last) : []);
  const rec = await deps.catalogue.getCollection(collection);
  for (const k of Object.keys(rec?.collection.assets ?? {})) {
    const m = snapshotMonth(k);
    if (m) months.add(m);
  }
  return [...months].sort();
}

/** A new refresh: its months (all of them, or those the change log touched since the last). */
async function plannedRefresh(
  deps: SnapshotDeps,
  state: SnapshotState | undefined,
  full: boolean,
  startedAt: string,
): Promise<PendingRefresh> {
  const todo: PendingRefresh["todo"] = [];
  const base = { startedAt, tokenKey: randomBytes(32).toString("base64"), todo };
  if (full || !state) {
    // Changes from now on are the next run's: anything written meanwhile is in both, which is harmless.
    for (const rec of await deps.catalogue.listCollections())
      for (const month of await allMonths(deps, rec.collection.id))
        todo.push({ collection: rec.collection.id, month });
    return { ...base, full: true, cursor: startedAt, changesRead: 0 };
  }
  const { months, cursor, read } = await changedMonths(deps, state.cursor);
  for (const [collection, set] of months)
    for (const month of [...set].sort()) todo.push({ collection, month });
  return { ...base, full: false, cursor, changesRead: read };
}

/** Removes a month's file and asset, if it has them; whether it had. */
async function removeMonth(deps: SnapshotDeps, collection: string, month: string): Promise<boolean> {
  const key = snapshotKey(collection, month);
  const rec = await deps.catalogue.getCollection(collection);
  const linked = rec?.collection.assets?.[snapshotAssetKey(month)] !== undefined;
  const stored = (await deps.objects.head(key)) !== undefined;
  if (stored) await deps.objects.deleteObject(key);
  if (linked) await linkAssets(deps, collection, new Map([[month, undefined]]));
  return stored || linked;
}

async function saveState(deps: SnapshotDeps, state: SnapshotState): Promise<void> {
  await deps.objects.putObject(STATE_KEY, JSON.stringify(state), "application/json");
}

/**
 * Brings every collection's snapshots up to date with the change log and saves where it stopped.
 * `full` rebuilds every month of every collection (as the first run does). Between chunks of work it
 * asks `stop()`: true, it returns with `done: false`, and the next call goes on from where it stands.
 */
export async function refreshSnapshots(
  deps: SnapshotDeps,
  opts: { full?: boolean; stop?: () => boolean } = {},
): Promise<SnapshotRun> {
  const now = deps.clock ?? Date.now;
  const state = await readState(deps);
  let p = state?.pending;
  if (!p || (opts.full && !p.full)) {
    if (p?.month?.uploadId)
      await deps.uploads.abort(snapshotKey(p.month.collection, p.month.month), p.month.uploadId);
    p = await plannedRefresh(deps, state, opts.full === true, new Date(now()).toISOString());
  }
  const settled = { cursor: state?.cursor ?? p.cursor, at: state?.at ?? p.startedAt };
  await saveState(deps, { ...settled, pending: p });
  const run: SnapshotRun = {
    written: [],
    removed: [],
    changesRead: p.changesRead,
    full: p.full,
    cursor: p.cursor,
    done: false,
    left: p.todo.length,
  };
  const key = Buffer.from(p.tokenKey, "base64");
  const monthDeps = {
    catalogue: deps.catalogue,
    uploads: deps.uploads,
    objects: deps.objects,
    tokens: signedPagingTokens(async () => key),
    settings: { ...DEFAULT_MONTH_SETTINGS, ...deps.settings },
  };
  while (p.todo.length > 0) {
    const { collection, month } = p.todo[0]!;
    const r = await monthChunk(
      monthDeps,
      p.month ?? startMonth(collection, month),
      (i) => monthOf(i) === month,
      async () => (await deps.catalogue.getCollection(collection))?.collection,
    );
    if (r.done) {
      if (r.items > 0) {
        const asset = snapshotAsset(deps.objects.bucket, collection, month, r.items, r.bytes);
        await linkAssets(deps, collection, new Map([[month, asset]]));
        run.written.push({ collection, month, items: r.items });
      } else if (await removeMonth(deps, collection, month)) run.removed.push({ collection, month });
      const { month: _, ...rest } = p;
      p = { ...rest, todo: p.todo.slice(1) };
    } else p = { ...p, month: r.progress };
    run.left = p.todo.length;
    if (p.todo.length === 0) break;
    await saveState(deps, { ...settled, pending: p });
    if (opts.stop?.()) return run;
  }
  await saveState(deps, { cursor: p.cursor, at: p.startedAt });
  return { ...run, done: true };
}
