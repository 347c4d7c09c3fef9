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
  const hints: IndexHints = {};
  let range: Range | undefined;
  for (const c of conjuncts(expr)) {
    if (c.kind === "spatial" && c.op !== "s_disjoint" && hints.geometry === undefined) {
      const other = isProp(c.left, "geometry") ? c.right : isProp(c.right, "geometry") ? c.left : undefined;
      const g = other && literalGeometry(other);
      if (g !== undefined) hints.geometry = g;
    }
    const r = rangeOf(c);
    if (r !== undefined)
      range = range === undefined ? r : [Math.max(range[0], r[0]), Math.min(range[1], r[1])];
    for (const [name, key] of [
      ["collection", "collections"],
      ["id", "ids"],
    ] as const) {
      const values = pinned(c, name);
      if (values === undefined) continue;
      const prior = hints[key];
      hints[key] = prior === undefined ? [...new Set(values)] : prior.filter((v) => values.includes(v));
    }
  }
  if (range !== undefined) hints.interval = [iso(range[0]), iso(range[1])];
  return hints;
}
