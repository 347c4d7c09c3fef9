// The planner's inputs as this process last read them (collection records, row counts and tile
// footprints of an area's cells), bounded in size and age: a warm instance plans a search from them
// with no read and starts its index round at once, while the same inputs are read again alongside it
// (plan/speculate.ts). Nothing here decides what a search may see or return: access is the request's
// Access applied to collection ids, and every plan made from these is checked against the fresh one.
import type { CollectionRecord, TileFootprint } from "../../storage/catalogue.ts";

/**
 * Areas (collection and set of cells) kept per kind, and for how long. Lambda instances live for hours:
 * an entry older than maxAgeMs is not used (its plan would likely be amended, costing a round).
 */
export const PLAN_INPUT_CACHE = { maxEntries: 512, maxAgeMs: 5 * 60_000 } as const;

interface Entry<T> {
  value: T;
  at: number;
}

/** A map that forgets its oldest-written entries beyond `max` and any entry older than `maxAgeMs`. */
class Bounded<T> {
  private readonly map = new Map<string, Entry<T>>();
  constructor(
    private readonly max: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): T | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    if (this.now() - e.at > this.maxAgeMs) {
      this.map.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T): void {
    this.map.delete(key);
    this.map.set(key, { value, at: this.now() });
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}

/** A collection's inputs for a set of cells (sorted, joined): one cache key. */
const areaKey = (collection: string, cells: readonly string[]) =>
  `${collection}\u0000${[...cells].sort().join(",")}`;

export class PlanInputCache {
  private listed: Entry<CollectionRecord[]> | undefined;
  private readonly counts: Bounded<Record<string, number>>;
  private readonly tiles: Bounded<TileFootprint[]>;
  private readonly queryable: Bounded<Set<string>>;

  constructor(
    private readonly o: { maxEntries: number; maxAgeMs: number; now: () => number } = {
      ...PLAN_INPUT_CACHE,
      now: Date.now,
    },
  ) {
    this.counts = new Bounded(o.maxEntries, o.maxAgeMs, o.now);
    this.tiles = new Bounded(o.maxEntries, o.maxAgeMs, o.now);
    this.queryable = new Bounded(o.maxEntries, o.maxAgeMs, o.now);
  }

  /** The collection records listed last, unless too old. */
  collections(): CollectionRecord[] | undefined {
    if (!this.listed || this.o.now() - this.listed.at > this.o.maxAgeMs) return undefined;
    return this.listed.value;
  }

  /** The collections listed last, whatever their age: which to read row counts of before the listing is back. */
  lastListed(): CollectionRecord[] | undefined {
    return this.listed?.value;
  }

  setCollections(records: CollectionRecord[]): void {
    this.listed = { value: records, at: this.o.now() };
  }

  rowCounts(collection: string, cells: readonly string[]): Record<string, number> | undefined {
    return this.counts.get(areaKey(collection, cells));
  }

  setRowCounts(counts: Map<string, Record<string, number>>, cells: readonly string[]): void {
    for (const [c, n] of counts) this.counts.set(areaKey(c, cells), n);
  }

  tileFootprints(collection: string, cells: readonly string[]): TileFootprint[] | undefined {
    return this.tiles.get(areaKey(collection, cells));
  }

  setTileFootprints(tiles: Map<string, TileFootprint[]>, cells: readonly string[]): void {
    for (const [c, t] of tiles) this.tiles.set(areaKey(c, cells), t);
  }

  /**
   * Property names a collection's queryables sample held when last read. Only ever used to accept a
   * name (a name not here is read again): a name whose items have all gone since is accepted for at
   * most maxAgeMs and matches nothing, where a fresh read would have refused it.
   */
  queryableNames(collection: string): Set<string> | undefined {
    return this.queryable.get(collection);
  }

  setQueryableNames(collection: string, names: Iterable<string>): void {
    this.queryable.set(collection, new Set(names));
  }

  /** Entries held (for tests of the bounds). */
  get entries(): number {
    return this.counts.size + this.tiles.size;
  }
}

/** One cache per catalogue (the API's is created once per instance, at cold start). */
const caches = new WeakMap<object, PlanInputCache>();

export function planInputCache(catalogue: object): PlanInputCache {
  const held = caches.get(catalogue);
  if (held) return held;
  const c = new PlanInputCache();
  caches.set(catalogue, c);
  return c;
}
