// Narrowing hints for the search planner, read off the top-level AND of a filter. Each hint is a
// necessary condition (a superset of the matches), so the planner may scan less; the exact
// evaluation still decides.
import type { Geometry } from "../../stac/types.ts";
import type { Cql2Expr, Cql2Value, TemporalOp } from "./ast.ts";
import { bboxToGeometry } from "./geometry/parts.ts";
import { parseInstant } from "./temporal.ts";

export interface IndexHints {
  geometry?: Geometry;
  /** Inclusive [start, end] as ISO timestamps; null is open. */
  interval?: [string | null, string | null];
  collections?: string[];
  ids?: string[];
  /** Every match has `eo:cloud_cover` at most this (cloud bands of the index, keys.ts CLOUD_BANDS). */
  cloudCoverMax?: number;
  /**
   * Every conjunct is one of the hints above, so rows within the narrowed area, interval, collections
   * and cloud cover all match: the planner's estimates need no margin for unseen filters.
   */
  complete: boolean;
}

const CLOUD_COVER = "eo:cloud_cover";

/**
 * The upper bound a conjunct sets on eo:cloud_cover, and whether it says nothing else (a lower bound
 * above 0 also drops rows).
 */
function cloudBound(c: Cql2Expr): { max: number; only: boolean } | undefined {
  const num = (v: Cql2Value) => (v.kind === "number" ? v.value : undefined);
  if (c.kind === "between" && isProp(c.value, CLOUD_COVER)) {
    const [lo, hi] = [num(c.low), num(c.high)];
    return hi === undefined ? undefined : { max: hi, only: lo !== undefined && lo <= 0 };
  }
  if (c.kind !== "comparison") return undefined;
  const first = isProp(c.left, CLOUD_COVER);
  if (!first && !isProp(c.right, CLOUD_COVER)) return undefined;
  const at = num(first ? c.right : c.left);
  if (at === undefined) return undefined;
  const flipped: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" };
  const op = first ? c.op : flipped[c.op];
  if (op === "<" || op === "<=" || op === "=") return { max: at, only: op !== "=" || at <= 0 };
  // A lower bound of at most 0 holds for every cloud cover (0–100 %).
  if ((op === ">" && at < 0) || (op === ">=" && at <= 0))
    return { max: Number.POSITIVE_INFINITY, only: true };
  return undefined;
}

type Range = [number, number];

const isProp = (v: Cql2Value, name: string) => v.kind === "property" && v.name === name;

function conjuncts(expr: Cql2Expr): Cql2Expr[] {
  return expr.kind === "and" ? expr.args.flatMap(conjuncts) : [expr];
}

function literalGeometry(v: Cql2Value): Geometry | undefined {
  if (v.kind === "geometry") return v.geometry;
  return v.kind === "bbox" ? bboxToGeometry(v.bbox) : undefined;
}

/** The [start, end] of a literal instant or interval; undefined if it is not a literal. */
function literalRange(v: Cql2Value): Range | undefined {
  if (v.kind === "timestamp" || v.kind === "date") {
    const ms = parseInstant(v.value);
    return ms === null ? undefined : [ms, ms];
  }
  if (v.kind !== "interval") return undefined;
  const end = (b: typeof v.start, open: number) =>
    b === null ? open : b.kind === "property" ? undefined : (parseInstant(b.value) ?? undefined);
  const [s, e] = [end(v.start, -Infinity), end(v.end, Infinity)];
  return s === undefined || e === undefined ? undefined : [s, e];
}

function temporalHint(op: TemporalOp, other: Range, datetimeFirst: boolean): Range | undefined {
  const [after, before] = datetimeFirst ? ["t_after", "t_before"] : ["t_before", "t_after"];
  if (op === after) return [other[1], Infinity];
  if (op === before) return [-Infinity, other[0]];
  return op === "t_disjoint" ? undefined : other;
}

function comparisonHint(op: string, at: number, datetimeFirst: boolean): Range | undefined {
  const flipped: Record<string, string> = { "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=" };
  const o = datetimeFirst ? op : flipped[op];
  if (o === "=") return [at, at];
  if (o === ">" || o === ">=") return [at, Infinity];
  if (o === "<" || o === "<=") return [-Infinity, at];
  return undefined;
}

function rangeOf(c: Cql2Expr): Range | undefined {
  if (c.kind === "temporal") {
    const first = isProp(c.left, "datetime");
    if (!first && !isProp(c.right, "datetime")) return undefined;
    const other = literalRange(first ? c.right : c.left);
    return other && temporalHint(c.op, other, first);
  }
  if (c.kind === "comparison") {
    const first = isProp(c.left, "datetime");
    if (!first && !isProp(c.right, "datetime")) return undefined;
    const other = literalRange(first ? c.right : c.left);
    return other && other[0] === other[1] ? comparisonHint(c.op, other[0], first) : undefined;
  }
  if (c.kind === "between" && isProp(c.value, "datetime")) {
    const [lo, hi] = [literalRange(c.low), literalRange(c.high)];
    return lo && hi ? [lo[0], hi[1]] : undefined;
  }
  return undefined;
}

/** The string values a conjunct pins `name` to (`name = 'x'` or `name IN (...)`). */
function pinned(c: Cql2Expr, name: string): string[] | undefined {
  const strings = (vs: Cql2Value[]) =>
    vs.every((v) => v.kind === "string") ? vs.map((v) => (v as { value: string }).value) : undefined;
  if (c.kind === "comparison" && c.op === "=") {
    if (isProp(c.left, name)) return strings([c.right]);
    if (isProp(c.right, name)) return strings([c.left]);
  }
  if (c.kind === "in" && isProp(c.value, name)) return strings(c.list);
  return undefined;
}

const iso = (ms: number): string | null => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

export function extractIndexHints(expr: Cql2Expr): IndexHints {
  const hints: IndexHints = { complete: true };
  let range: Range | undefined;
  for (const c of conjuncts(expr)) {
    let captured = false;
    if (c.kind === "spatial" && c.op !== "s_disjoint" && hints.geometry === undefined) {
      const other = isProp(c.left, "geometry") ? c.right : isProp(c.right, "geometry") ? c.left : undefined;
      const g = other && literalGeometry(other);
      if (g !== undefined) {
        hints.geometry = g;
        // Only an intersection is what the plan's area test is.
        captured = c.op === "s_intersects";
      }
    }
    const r = rangeOf(c);
    if (r !== undefined) {
      range = range === undefined ? r : [Math.max(range[0], r[0]), Math.min(range[1], r[1])];
      captured = true;
    }
    for (const [name, key] of [
      ["collection", "collections"],
      ["id", "ids"],
    ] as const) {
      const values = pinned(c, name);
      if (values === undefined) continue;
      const prior = hints[key];
      hints[key] = prior === undefined ? [...new Set(values)] : prior.filter((v) => values.includes(v));
      captured = true;
    }
    const cloud = cloudBound(c);
    if (cloud !== undefined) {
      if (Number.isFinite(cloud.max))
        hints.cloudCoverMax = Math.min(hints.cloudCoverMax ?? cloud.max, cloud.max);
      captured = cloud.only;
    }
    if (!captured) hints.complete = false;
  }
  if (range !== undefined) hints.interval = [iso(range[0]), iso(range[1])];
  return hints;
}
