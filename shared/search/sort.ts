// Sort extension: `sortby` parsed into keys, and the total order results and paging cursors follow.
// Every order ends with collection and id so that each position is unique and paging never skips or
// repeats an item; missing values sort last in either direction.
import { BadRequestError } from "../errors.ts";
import type { ItemSummary } from "../index/rows.ts";

export interface SortKey {
  field: string;
  direction: "asc" | "desc";
}

export const DEFAULT_SORT: SortKey[] = [{ field: "datetime", direction: "desc" }];

/** `properties.x` and `x` name the same thing; the core fields are top-level. */
export const fieldName = (f: string) => (f.startsWith("properties.") ? f.slice("properties.".length) : f);

function key(field: unknown, direction: unknown): SortKey {
  if (typeof field !== "string" || field.trim() === "")
    throw new BadRequestError("sortby: each key needs a field name");
  if (direction !== "asc" && direction !== "desc")
    throw new BadRequestError(
      `sortby: direction of '${field}' must be 'asc' or 'desc', got ${JSON.stringify(direction)}`,
    );
  return { field: fieldName(field.trim()), direction };
}

/** GET: `+a,-b,c` (no sign = ascending); POST: `[{field, direction}]`. */
export function parseSortby(v: unknown, source: "query" | "body"): SortKey[] {
  let keys: SortKey[];
  if (typeof v === "string" && source === "query") {
    keys = v
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map((s) => (s[0] === "-" ? key(s.slice(1), "desc") : key(s[0] === "+" ? s.slice(1) : s, "asc")));
  } else if (Array.isArray(v)) {
    keys = v.map((k) => {
      if (typeof k !== "object" || k === null)
        throw new BadRequestError("sortby: expected [{field, direction}]");
      const { field, direction } = k as Record<string, unknown>;
      return key(field, direction ?? "asc");
    });
  } else throw new BadRequestError("sortby: expected '+field,-field' (GET) or [{field, direction}] (POST)");
  if (keys.length === 0) throw new BadRequestError("sortby: expected at least one key");
  return keys;
}

/** A summary's value for a sort field; undefined when it has none. */
export function sortValue(s: ItemSummary, field: string): unknown {
  switch (field) {
    case "id":
      return s.id;
    case "collection":
      return s.collection;
    case "datetime":
      return s.datetime;
    case "start_datetime":
      return s.start;
    case "end_datetime":
      return s.end;
    default: {
      const v = s.properties[field];
      return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
    }
  }
}

const RANK: Record<string, number> = { boolean: 0, number: 1, string: 2 };

/** Ascending order of two values of one key; missing (null/undefined) after everything. */
function compareValues(a: unknown, b: unknown): number {
  const am = a === null || a === undefined;
  const bm = b === null || b === undefined;
  if (am || bm) return am === bm ? 0 : am ? 1 : -1;
  const [ra, rb] = [RANK[typeof a] ?? 3, RANK[typeof b] ?? 3];
  if (ra !== rb) return ra - rb;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

export interface Order {
  keys: SortKey[];
  /** Newest first with descending tie-breakers: the executor's own order. */
  isDefault: boolean;
  /** Oldest first with ascending tie-breakers: the executor's order read forwards. */
  isOldestFirst: boolean;
  /** The position of a summary: its sort values, then collection and id. */
  position(s: ItemSummary): unknown[];
  compare(a: ItemSummary, b: ItemSummary): number;
  /** True when `s` comes strictly after the given position. */
  isAfter(s: ItemSummary, position: unknown[]): boolean;
}

export function makeOrder(keys: SortKey[] = DEFAULT_SORT): Order {
  // Tie-breakers follow the first key's direction (newest-first by default keeps the old order).
  const tie = keys[0]?.direction ?? "desc";
  const dirs = [...keys.map((k) => k.direction), tie, tie].map((d) => (d === "desc" ? -1 : 1));
  const position = (s: ItemSummary) => [...keys.map((k) => sortValue(s, k.field)), s.collection, s.id];
  const comparePositions = (a: unknown[], b: unknown[]) => {
    for (let i = 0; i < dirs.length; i++) {
      const [x, y] = [a[i], b[i]];
      const missing = x === null || x === undefined || y === null || y === undefined;
      const c = compareValues(x, y);
      // Missing values stay last whatever the direction.
      if (c !== 0) return missing ? c : c * dirs[i]!;
    }
    return 0;
  };
  return {
    keys,
    isDefault: keys.length === 1 && keys[0]!.field === "datetime" && keys[0]!.direction === "desc",
    isOldestFirst: keys.length === 1 && keys[0]!.field === "datetime" && keys[0]!.direction === "asc",
    position,
    compare: (a, b) => comparePositions(position(a), position(b)),
    isAfter: (s, p) => comparePositions(position(s), p) > 0,
  };
}
