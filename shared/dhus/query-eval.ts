// Evaluates a parsed `q` on index row summaries, and pulls out what the planner can use: the
// footprint and the sensing interval of the query's top-level terms.
import { normalizeGeometry } from "../geo/normalize.ts";
import type { ItemSummary } from "../index/rows.ts";
import { MAX_TIME, MIN_TIME } from "../index/time.ts";
import { spatialRelation } from "../search/cql2/geometry/predicates.ts";
import { ALL_TIME, type Interval } from "../search/datetime.ts";
import type { Geometry } from "../stac/types.ts";
import { FIELDS, fieldValue } from "./fields.ts";
import { type QNode, QueryError } from "./query.ts";

const UNIT_MS: Record<string, number> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

function unitOf(u: string): string {
  const n = u.toUpperCase().replace(/S$/, "");
  if (n === "DATE") return "DAY";
  if (n === "MILLI" || n === "MILLISECOND") return "MILLI";
  if (["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"].includes(n)) return n;
  throw new QueryError(`unknown date unit '${u}'`);
}

function add(d: Date, n: number, unit: string): void {
  if (unit === "YEAR") d.setUTCFullYear(d.getUTCFullYear() + n);
  else if (unit === "MONTH") d.setUTCMonth(d.getUTCMonth() + n);
  else d.setTime(d.getTime() + n * (UNIT_MS[unit] ?? 1));
}

function roundDown(d: Date, unit: string): void {
  const parts = [
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
  const keep = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"].indexOf(unit) + 1;
  if (keep === 0) return;
  const [y, mo = 0, da = 1, h = 0, mi = 0, s = 0] = parts.slice(0, keep);
  d.setTime(Date.UTC(y!, keep > 1 ? mo : 0, keep > 2 ? da : 1, h, mi, s));
}

/** Solr date math: `NOW`, an ISO instant, a date, then `+1DAY`, `-2HOURS`, `/DAY` in any order. */
export function parseDateMath(text: string, now: Date): number {
  const m =
    /^(NOW|\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?)?)((?:[+-]\d+[A-Za-z]+|\/[A-Za-z]+)*)$/i.exec(
      text.trim(),
    );
  if (!m) throw new QueryError(`Invalid Date String:'${text}'`);
  const base =
    m[1]!.toUpperCase() === "NOW"
      ? now.getTime()
      : Date.parse(/T/.test(m[1]!) && !/Z$/i.test(m[1]!) ? `${m[1]}Z` : m[1]!);
  if (Number.isNaN(base)) throw new QueryError(`Invalid Date String:'${text}'`);
  const d = new Date(base);
  for (const op of m[2]!.matchAll(/([+-])(\d+)([A-Za-z]+)|\/([A-Za-z]+)/g)) {
    if (op[4]) roundDown(d, unitOf(op[4]));
    else add(d, (op[1] === "-" ? -1 : 1) * Number(op[2]), unitOf(op[3]!));
  }
  return d.getTime();
}

function wildcard(pattern: string): RegExp {
  const src = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${src}$`, "i");
}

type Test = (s: ItemSummary) => boolean;

function termTest(field: string, value: string, now: Date): Test {
  const type = FIELDS[field]!.type;
  if (value === "*") return (s) => fieldValue(field, s) !== undefined;
  if (type === "int" || type === "double") {
    const n = Number(value);
    if (Number.isNaN(n)) throw new QueryError(`Invalid Number: ${value}`);
    return (s) => fieldValue(field, s) === n;
  }
  if (type === "date") {
    const t = parseDateMath(value, now);
    return (s) => Date.parse(String(fieldValue(field, s))) === t;
  }
  // Solr tokenises text fields: a value matches the whole field or one of its words.
  const re = wildcard(value);
  return (s) => {
    const v = fieldValue(field, s);
    return (
      v !== undefined &&
      (re.test(String(v)) ||
        String(v)
          .split(/\s+/)
          .some((w) => re.test(w)))
    );
  };
}

/** Both sides have the field's one type (numbers, or strings for text and ISO dates). */
const less = (a: number | string, b: number | string): boolean => (a as number) < (b as number);

function rangeTest(n: Extract<QNode, { kind: "range" }>, now: Date): Test {
  const type = FIELDS[n.field]!.type;
  const conv = (v: string | number): number | string =>
    type === "date" ? (typeof v === "number" ? v : Date.parse(v)) : type === "str" ? String(v) : Number(v);
  const bound = (b: string) => (b === "*" ? undefined : type === "date" ? parseDateMath(b, now) : conv(b));
  const lo = bound(n.lo);
  const hi = bound(n.hi);
  if ((typeof lo === "number" && Number.isNaN(lo)) || (typeof hi === "number" && Number.isNaN(hi)))
    throw new QueryError(`Invalid range bound in ${n.field}:[${n.lo} TO ${n.hi}]`);
  return (s) => {
    const raw = fieldValue(n.field, s);
    if (raw === undefined) return false;
    const v = conv(raw);
    if (lo !== undefined && (n.loIncl ? less(v, lo) : !less(lo, v))) return false;
    return hi === undefined || (n.hiIncl ? !less(hi, v) : less(v, hi));
  };
}

export function compileQuery(node: QNode, now: Date): Test {
  switch (node.kind) {
    case "and": {
      const tests = node.args.map((a) => compileQuery(a, now));
      return (s) => tests.every((t) => t(s));
    }
    case "or": {
      const tests = node.args.map((a) => compileQuery(a, now));
      return (s) => tests.some((t) => t(s));
    }
    case "not": {
      const t = compileQuery(node.arg, now);
      return (s) => !t(s);
    }
    case "term": {
      if (node.field) return termTest(node.field, node.value, now);
      const a = termTest("identifier", node.value, now);
      const b = termTest("filename", node.value, now);
      return (s) => a(s) || b(s);
    }
    case "range":
      return rangeTest(node, now);
    case "footprint": {
      const aoi = normalizeGeometry(node.geometry);
      const op =
        node.relation === "contains"
          ? "s_contains"
          : node.relation === "iswithin"
            ? "s_within"
            : "s_intersects";
      return (s) => s.geometry !== null && spatialRelation(op, s.geometry, aoi);
    }
  }
}

export interface QueryHints {
  geometry?: Geometry;
  interval: Interval;
  /** `cloudcoverpercentage:[a TO b]`: every result has eo:cloud_cover ≤ b (the index's cloud bands). */
  cloudCoverMax?: number;
}

/** Footprint and sensing interval implied by terms every result must satisfy (the top-level AND). */
export function queryHints(node: QNode, now: Date): QueryHints {
  const hints: QueryHints = { interval: { ...ALL_TIME } };
  const terms = node.kind === "and" ? node.args : [node];
  for (const t of terms) {
    if (t.kind === "footprint" && !hints.geometry) hints.geometry = normalizeGeometry(t.geometry);
    // A start or an end inside [a, b] means the item overlaps [a, b].
    if (t.kind === "range" && (t.field === "beginposition" || t.field === "endposition")) {
      const iso = (b: string, dflt: string) =>
        b === "*" ? dflt : new Date(parseDateMath(b, now)).toISOString();
      const from = iso(t.lo, MIN_TIME);
      const to = iso(t.hi, MAX_TIME);
      if (from > hints.interval.from) hints.interval.from = from;
      if (to < hints.interval.to) hints.interval.to = to;
    }
    if (t.kind === "range" && t.field === "cloudcoverpercentage" && t.hi !== "*") {
      const hi = Number(t.hi);
      if (Number.isFinite(hi)) hints.cloudCoverMax = Math.min(hints.cloudCoverMax ?? hi, hi);
    }
  }
  return hints;
}
