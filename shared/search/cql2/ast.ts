// The one AST both CQL2 encodings (cql2-text and cql2-json) parse into and print from.
import type { Geometry } from "../../stac/types.ts";

export const COMPARISON_OPS = ["=", "<>", "<", "<=", ">", ">="] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

export const ARITHMETIC_OPS = ["+", "-", "*", "/", "%", "div", "^"] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];

export const SPATIAL_OPS = [
  "s_intersects",
  "s_equals",
  "s_disjoint",
  "s_touches",
  "s_within",
  "s_overlaps",
  "s_crosses",
  "s_contains",
] as const;
export type SpatialOp = (typeof SPATIAL_OPS)[number];

export const TEMPORAL_OPS = [
  "t_after",
  "t_before",
  "t_contains",
  "t_disjoint",
  "t_during",
  "t_equals",
  "t_finishedby",
  "t_finishes",
  "t_intersects",
  "t_meets",
  "t_metby",
  "t_overlappedby",
  "t_overlaps",
  "t_startedby",
  "t_starts",
] as const;
export type TemporalOp = (typeof TEMPORAL_OPS)[number];

/** cql2-json spells this one in camelCase; the AST uses the json spelling. */
export const ARRAY_OPS = ["a_equals", "a_contains", "a_containedBy", "a_overlaps"] as const;
export type ArrayOp = (typeof ARRAY_OPS)[number];

export interface PropertyRef {
  kind: "property";
  name: string;
}
export interface StringLiteral {
  kind: "string";
  value: string;
}
export interface NumberLiteral {
  kind: "number";
  value: number;
}
export interface BooleanLiteral {
  kind: "boolean";
  value: boolean;
}
/** RFC 3339 date-time, kept as written. */
export interface TimestampLiteral {
  kind: "timestamp";
  value: string;
}
/** YYYY-MM-DD, kept as written. */
export interface DateLiteral {
  kind: "date";
  value: string;
}
/** null is an open end ('..'). */
export type IntervalBound = TimestampLiteral | DateLiteral | PropertyRef | null;
export interface IntervalLiteral {
  kind: "interval";
  start: IntervalBound;
  end: IntervalBound;
}
export interface GeometryLiteral {
  kind: "geometry";
  geometry: Geometry;
}
/** [west, south, east, north] or the 6-number 3D form; west > east crosses the antimeridian. */
export interface BBoxLiteral {
  kind: "bbox";
  bbox: number[];
}
export interface ListLiteral {
  kind: "list";
  items: Cql2Value[];
}
export interface Arithmetic {
  kind: "arithmetic";
  op: ArithmeticOp;
  left: Cql2Value;
  right: Cql2Value;
}
/** CASEI() and ACCENTI(): string-to-string functions for insensitive comparison. */
export interface StringFunction {
  kind: "casei" | "accenti";
  arg: Cql2Value;
}

export type Cql2Value =
  | PropertyRef
  | StringLiteral
  | NumberLiteral
  | BooleanLiteral
  | TimestampLiteral
  | DateLiteral
  | IntervalLiteral
  | GeometryLiteral
  | BBoxLiteral
  | ListLiteral
  | Arithmetic
  | StringFunction;

export interface Logical {
  kind: "and" | "or";
  args: Cql2Expr[];
}
export interface Not {
  kind: "not";
  arg: Cql2Expr;
}
export interface Comparison {
  kind: "comparison";
  op: ComparisonOp;
  left: Cql2Value;
  right: Cql2Value;
}
export interface Like {
  kind: "like";
  value: Cql2Value;
  pattern: Cql2Value;
}
export interface Between {
  kind: "between";
  value: Cql2Value;
  low: Cql2Value;
  high: Cql2Value;
}
export interface In {
  kind: "in";
  value: Cql2Value;
  list: Cql2Value[];
}
export interface IsNull {
  kind: "isNull";
  value: Cql2Value;
}
export interface SpatialPredicate {
  kind: "spatial";
  op: SpatialOp;
  left: Cql2Value;
  right: Cql2Value;
}
export interface TemporalPredicate {
  kind: "temporal";
  op: TemporalOp;
  left: Cql2Value;
  right: Cql2Value;
}
export interface ArrayPredicate {
  kind: "array";
  op: ArrayOp;
  left: Cql2Value;
  right: Cql2Value;
}

/** A boolean-valued expression: what a filter is. A bare property or TRUE/FALSE is allowed too. */
export type Cql2Expr =
  | Logical
  | Not
  | Comparison
  | Like
  | Between
  | In
  | IsNull
  | SpatialPredicate
  | TemporalPredicate
  | ArrayPredicate
  | BooleanLiteral
  | PropertyRef;

/** Anything a parser may hold while it does not yet know which side of a predicate it is on. */
export type Cql2Node = Cql2Expr | Cql2Value;

const PREDICATE_KINDS = new Set<string>([
  "and",
  "or",
  "not",
  "comparison",
  "like",
  "between",
  "in",
  "isNull",
  "spatial",
  "temporal",
  "array",
]);

const EXPR_KINDS = new Set<string>([...PREDICATE_KINDS, "boolean", "property"]);

export function isExpr(node: Cql2Node): node is Cql2Expr {
  return EXPR_KINDS.has(node.kind);
}

/** A predicate yields a boolean and is never a value operand. */
export function isPredicate(node: Cql2Node): boolean {
  return PREDICATE_KINDS.has(node.kind);
}
