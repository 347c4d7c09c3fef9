// Evaluates a CQL2 filter against one STAC item with SQL's three-valued logic: a comparison
// involving a missing (or null, or wrongly typed) property is UNKNOWN, NOT UNKNOWN is UNKNOWN,
// FALSE AND UNKNOWN is FALSE, TRUE OR UNKNOWN is TRUE, and the item matches only if the whole
// filter is TRUE. So `x <> 1` and `NOT x = 1` both exclude items without x; use `x IS NULL`.
import type { StacItem } from "../../stac/types.ts";
import type { ArrayOp, ComparisonOp, Cql2Expr, Cql2Value } from "./ast.ts";
import { spatialRelation } from "./geometry/predicates.ts";
import { temporalRelation } from "./temporal.ts";
import { geometry, list, propertyValue, type Scalar, scalar, temporal } from "./values.ts";

type Truth = boolean | null;

/** Orders two scalars; null when they cannot be compared. Instants compare with date strings. */
function order(a: Scalar | null, b: Scalar | null): number | null {
  if (a === null || b === null) return null;
  if (typeof a === "object" || typeof b === "object") {
    const ms = (v: Scalar): number | null => {
      if (typeof v === "object") return v.start === v.end ? v.start : null;
      if (typeof v !== "string") return null;
      const t = Date.parse(v);
      return Number.isNaN(t) ? null : t;
    };
    const [x, y] = [ms(a), ms(b)];
    return x === null || y === null ? null : Math.sign(x - y);
  }
  if (typeof a !== typeof b) return null;
  if (typeof a === "string") return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  if (typeof a === "boolean") return a === b ? 0 : a ? 1 : -1;
  return Math.sign(a - (b as number));
}

function compare(op: ComparisonOp, c: number | null): Truth {
  if (c === null) return null;
  switch (op) {
    case "=":
      return c === 0;
    case "<>":
      return c !== 0;
    case "<":
      return c < 0;
    case "<=":
      return c <= 0;
    case ">":
      return c > 0;
    case ">=":
      return c >= 0;
  }
}

const likeCache = new Map<string, RegExp>();

/** LIKE pattern → anchored RegExp: % any run, _ one character, backslash escapes the next one. */
function likeRegExp(pattern: string): RegExp {
  const cached = likeCache.get(pattern);
  if (cached !== undefined) return cached;
  let source = "";
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === "\\" && i + 1 < chars.length) source += chars[++i]!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  const re = new RegExp(`^${source}$`, "u");
  if (likeCache.size > 256) likeCache.clear();
  likeCache.set(pattern, re);
  return re;
}

function arrayRelation(op: ArrayOp, a: (Scalar | null)[], b: (Scalar | null)[]): Truth {
  const has = (xs: (Scalar | null)[], x: Scalar | null) => xs.some((y) => order(x, y) === 0);
  switch (op) {
    case "a_equals":
      return a.length === b.length && a.every((x, i) => order(x, b[i] ?? null) === 0);
    case "a_contains":
      return b.every((x) => has(a, x));
    case "a_containedBy":
      return a.every((x) => has(b, x));
    case "a_overlaps":
      return a.some((x) => has(b, x));
  }
}

function isNull(node: Cql2Value, item: StacItem): boolean {
  if (node.kind === "property") return propertyValue(node.name, item) == null;
  if (node.kind === "arithmetic" || node.kind === "casei" || node.kind === "accenti")
    return scalar(node, item) === null;
  return false;
}

function evaluate(expr: Cql2Expr, item: StacItem): Truth {
  switch (expr.kind) {
    case "and": {
      let result: Truth = true;
      for (const arg of expr.args) {
        const v = evaluate(arg, item);
        if (v === false) return false;
        if (v === null) result = null;
      }
      return result;
    }
    case "or": {
      let result: Truth = false;
      for (const arg of expr.args) {
        const v = evaluate(arg, item);
        if (v === true) return true;
        if (v === null) result = null;
      }
      return result;
    }
    case "not": {
      const v = evaluate(expr.arg, item);
      return v === null ? null : !v;
    }
    case "comparison":
      return compare(expr.op, order(scalar(expr.left, item), scalar(expr.right, item)));
    case "like": {
      const [v, p] = [scalar(expr.value, item), scalar(expr.pattern, item)];
      return typeof v === "string" && typeof p === "string" ? likeRegExp(p).test(v) : null;
    }
    case "between": {
      const v = scalar(expr.value, item);
      const [lo, hi] = [order(v, scalar(expr.low, item)), order(v, scalar(expr.high, item))];
      return lo === null || hi === null ? null : lo >= 0 && hi <= 0;
    }
    case "in": {
      const v = scalar(expr.value, item);
      let result: Truth = false;
      for (const candidate of expr.list) {
        const c = order(v, scalar(candidate, item));
        if (c === 0) return true;
        if (c === null) result = null;
      }
      return result;
    }
    case "isNull":
      return isNull(expr.value, item);
    case "spatial": {
      const [a, b] = [geometry(expr.left, item), geometry(expr.right, item)];
      return a === null || b === null ? null : spatialRelation(expr.op, a, b);
    }
    case "temporal": {
      const [a, b] = [temporal(expr.left, item), temporal(expr.right, item)];
      return a === null || b === null ? null : temporalRelation(expr.op, a, b);
    }
    case "array": {
      const [a, b] = [list(expr.left, item), list(expr.right, item)];
      return a === null || b === null ? null : arrayRelation(expr.op, a, b);
    }
    case "boolean":
      return expr.value;
    case "property": {
      const v = propertyValue(expr.name, item);
      return typeof v === "boolean" ? v : null;
    }
  }
}

/** True when the item matches the filter; UNKNOWN (missing properties) counts as no match. */
export function evaluateCql2(expr: Cql2Expr, item: StacItem): boolean {
  return evaluate(expr, item) === true;
}
