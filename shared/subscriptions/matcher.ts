// Finds the subscriptions an item matches without testing every subscription: each is indexed by the
// coarse H3 cells covering its area (compacted, so a continent is a few cells and a field one) under
// each of its collections; an item looks up the cells covering its footprint, their ancestors and their
// descendants, plus the subscriptions without an area, then runs the full search test on those alone.
import { intersects } from "../geo/geometry.ts";
import { adaptiveCover, ROOT_KEY } from "../index/cells.ts";
import { summarize } from "../index/rows.ts";
import { evaluateCql2 } from "../search/cql2/index.ts";
import type { Geometry, StacItem } from "../stac/types.ts";
import type { ChangeKind } from "../storage/changes.ts";
import type { CompiledSearch } from "./model.ts";

/** Cover of an area in the index: at most this many cells, none finer than MAX_RES (≈ 1,770 km² at 4). */
const COVER = { maxCells: 24, minRes: 0, maxRes: 4 } as const;

export interface Matchable {
  id: string;
  events: readonly ChangeKind[];
  search: CompiledSearch;
  /** The index cells of the search's area, when computed before (stored with the subscription). */
  cells?: readonly string[] | undefined;
}

/** Subscriptions by cell key; one per collection (and one for subscriptions of every collection). */
class CellIndex<T> {
  readonly global: T[] = [];
  private readonly byKey = new Map<string, T[]>();
  private sorted: string[] | undefined;

  add(keys: readonly string[], s: T): void {
    if (keys.length === 0 || keys.includes(ROOT_KEY)) {
      this.global.push(s);
      return;
    }
    for (const k of keys) {
      const list = this.byKey.get(k) ?? [];
      list.push(s);
      this.byKey.set(k, list);
    }
    this.sorted = undefined;
  }

  /** Subscriptions indexed at a cell that is an item cell, one of its ancestors or one of its descendants. */
  collect(itemKeys: readonly string[], into: Set<T>): void {
    for (const s of this.global) into.add(s);
    if (this.byKey.size === 0) return;
    if (itemKeys.includes(ROOT_KEY)) {
      for (const list of this.byKey.values()) for (const s of list) into.add(s);
      return;
    }
    this.sorted ??= [...this.byKey.keys()].sort();
    const sorted = this.sorted;
    for (const k of itemKeys) {
      for (let len = 3; len <= k.length; len++)
        for (const s of this.byKey.get(k.slice(0, len)) ?? []) into.add(s);
      // Descendants are the keys after k that start with it.
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]! <= k) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < sorted.length && sorted[i]!.startsWith(k); i++)
        for (const s of this.byKey.get(sorted[i]!)!) into.add(s);
    }
  }
}

const ANY_COLLECTION = "\u0000any";

export interface MatchStats {
  /** Subscriptions that got the full test. */
  candidates: number;
}

export class SubscriptionMatcher<T extends Matchable> {
  private readonly byCollection = new Map<string, CellIndex<T>>();
  readonly size: number;

  constructor(subscriptions: Iterable<T>) {
    let n = 0;
    for (const s of subscriptions) {
      n++;
      const keys = s.cells ?? subscriptionCells(s.search);
      for (const c of s.search.collections ?? [ANY_COLLECTION]) {
        const index = this.byCollection.get(c) ?? new CellIndex<T>();
        index.add(keys, s);
        this.byCollection.set(c, index);
      }
    }
    this.size = n;
  }

  /** The subscriptions that want this change of this item (created or updated: the item after it). */
  match(item: StacItem, kind: ChangeKind, stats?: MatchStats): T[] {
    const collection = item.collection ?? "";
    const summary = summarize(item, "");
    const keys = summary.geometry ? coverKeys(summary.geometry) : [];
    const candidates = new Set<T>();
    for (const c of [collection, ANY_COLLECTION]) {
      const index = this.byCollection.get(c);
      if (!index) continue;
      if (summary.geometry) index.collect(keys, candidates);
      else for (const s of index.global) candidates.add(s);
    }
    if (stats) stats.candidates += candidates.size;
    const out: T[] = [];
    for (const s of candidates) {
      const q = s.search;
      if (!s.events.includes(kind)) continue;
      if (summary.start > q.interval.to || summary.end < q.interval.from) continue;
      if (q.geometry && (!summary.geometry || !intersects(summary.geometry, q.geometry))) continue;
      if (q.filter && !evaluateCql2(q.filter, item)) continue;
      out.push(s);
    }
    return out;
  }
}

function coverKeys(g: Geometry): readonly string[] {
  return adaptiveCover(g, COVER).keys;
}

/**
 * The cells a subscription is indexed by (none: anywhere). Computed once, when it is made, and stored
 * with it: covering 10,000 areas afresh would cost the dispatcher seconds per run.
 */
export function subscriptionCells(search: CompiledSearch): string[] {
  const keys = search.geometry ? coverKeys(search.geometry) : [];
  // The root cell (areas too large to cover) is the same as no area: the global bucket.
  return keys.includes(ROOT_KEY) ? [] : [...keys];
}
