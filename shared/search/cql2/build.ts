// Turns an operator name and its operands into a typed AST node, checking arity and operand types.
// Both parsers go through here, so cql2-text and cql2-json reject the same things with the same words.
import {
  ARITHMETIC_OPS,
  ARRAY_OPS,
  type ArithmeticOp,
  type ArrayOp,
  COMPARISON_OPS,
  type ComparisonOp,
  type Cql2Expr,
  type Cql2Node,
  type Cql2Value,
  isPredicate,
  SPATIAL_OPS,
  type SpatialOp,
  TEMPORAL_OPS,
  type TemporalOp,
} from "./ast.ts";

/** Raises a BadRequestError that already knows the parameter name and the location. */
export type Fail = (message: string) => never;

type StaticType = "boolean" | "string" | "number" | "temporal" | "interval" | "geometry" | "list" | "any";

const TYPE_NAMES: Record<StaticType, string> = {
  boolean: "a boolean",
  string: "a string",
  number: "a number",
  temporal: "a timestamp or date",
  interval: "an interval",
  geometry: "a geometry",
  list: "an array",
  any: "a value",
};

export function staticType(node: Cql2Node): StaticType {
  if (isPredicate(node)) return "boolean";
  switch (node.kind) {
    case "property":
      return "any";
    case "string":
    case "casei":
    case "accenti":
      return "string";
    case "number":
    case "arithmetic":
      return "number";
    case "boolean":
      return "boolean";
    case "timestamp":
    case "date":
      return "temporal";
    case "interval":
      return "interval";
    case "geometry":
    case "bbox":
      return "geometry";
    default:
      return "list";
  }
}

/** How a node reads in an error message: its kind, or what a predicate is. */
export function describe(node: Cql2Node): string {
  return isPredicate(node) ? "a boolean expression" : TYPE_NAMES[staticType(node)];
}

const ALL_OPS = new Map<string, string>();
for (const op of [
  "and",
  "or",
  "not",
  "like",
  "between",
  "in",
  "isNull",
  "casei",
  "accenti",
  ...COMPARISON_OPS,
  ...ARITHMETIC_OPS,
  ...SPATIAL_OPS,
  ...TEMPORAL_OPS,
  ...ARRAY_OPS,
]) {
  ALL_OPS.set(op.toLowerCase(), op);
}

/** The canonical spelling of an operator name, or undefined if CQL2 has no such operator. */
export function canonicalOp(name: string): string | undefined {
  return ALL_OPS.get(name.toLowerCase());
}

function displayName(op: string): string {
  return /^[a-z]/i.test(op) ? op.toUpperCase() : `'${op}'`;
}

export function buildOperation(name: string, args: Cql2Node[], fail: Fail): Cql2Node {
  const op = canonicalOp(name);
  if (op === undefined) return fail(`unknown function or operator '${name}'`);
  const label = displayName(op);

  const arity = (n: number): void => {
    if (args.length !== n) fail(`${label} expects ${n} argument${n === 1 ? "" : "s"}, got ${args.length}`);
  };
  const operand = (i: number, allowed: StaticType[], what: string): Cql2Value => {
    const node = args[i]!;
    const t = staticType(node);
    if (isPredicate(node) || (t !== "any" && !allowed.includes(t))) {
      fail(`argument ${i + 1} of ${label} must be ${what}, got ${describe(node)}`);
    }
    return node as Cql2Value;
  };
  const condition = (i: number): Cql2Expr => {
    const node = args[i]!;
    const t = staticType(node);
    if (t !== "boolean" && t !== "any") fail(`argument ${i + 1} of ${label} must be a boolean expression`);
    return node as Cql2Expr;
  };
  const scalar: StaticType[] = ["string", "number", "boolean", "temporal"];

  if (op === "and" || op === "or") {
    if (args.length < 2) fail(`${label} expects at least 2 arguments, got ${args.length}`);
    return { kind: op, args: args.map((_, i) => condition(i)) };
  }
  if (op === "not") {
    arity(1);
    return { kind: "not", arg: condition(0) };
  }
  if ((COMPARISON_OPS as readonly string[]).includes(op)) {
    arity(2);
    const left = operand(0, scalar, "a string, number, boolean, timestamp or date");
    const right = operand(1, scalar, "a string, number, boolean, timestamp or date");
    const [lt, rt] = [staticType(left), staticType(right)];
    if (lt !== "any" && rt !== "any" && lt !== rt)
      fail(`${label} cannot compare ${describe(left)} with ${describe(right)}`);
    return { kind: "comparison", op: op as ComparisonOp, left, right };
  }
  switch (op) {
    case "like":
      arity(2);
      return {
        kind: "like",
        value: operand(0, ["string"], "a string"),
        pattern: operand(1, ["string"], "a string pattern"),
      };
    case "between":
      arity(3);
      return {
        kind: "between",
        value: operand(0, ["number", "temporal"], "a number"),
        low: operand(1, ["number", "temporal"], "a number"),
        high: operand(2, ["number", "temporal"], "a number"),
      };
    case "in": {
      arity(2);
      const value = operand(0, scalar, "a string, number, boolean, timestamp or date");
      const list = args[1]!;
      if (list.kind !== "list")
        return fail(`argument 2 of IN must be a list of values, got ${describe(list)}`);
      list.items.forEach((item, i) => {
        if (isPredicate(item) || !["any", ...scalar].includes(staticType(item))) {
          fail(`item ${i + 1} of the IN list must be a string, number, boolean, timestamp or date`);
        }
      });
      return { kind: "in", value, list: list.items };
    }
    case "isNull":
      arity(1);
      return {
        kind: "isNull",
        value: operand(
          0,
          ["string", "number", "boolean", "temporal", "interval", "geometry", "list"],
          "a value",
        ),
      };
    case "casei":
    case "accenti":
      arity(1);
      return { kind: op, arg: operand(0, ["string"], "a string") };
  }
  arity(2);
  if ((ARITHMETIC_OPS as readonly string[]).includes(op)) {
    const left = operand(0, ["number"], "a number");
    return { kind: "arithmetic", op: op as ArithmeticOp, left, right: operand(1, ["number"], "a number") };
  }
  if ((SPATIAL_OPS as readonly string[]).includes(op)) {
    const left = operand(0, ["geometry"], "a geometry");
    return { kind: "spatial", op: op as SpatialOp, left, right: operand(1, ["geometry"], "a geometry") };
  }
  if ((TEMPORAL_OPS as readonly string[]).includes(op)) {
    const what = "a timestamp, date or interval";
    const left = operand(0, ["temporal", "interval"], what);
    return {
      kind: "temporal",
      op: op as TemporalOp,
      left,
      right: operand(1, ["temporal", "interval"], what),
    };
  }
  const left = operand(0, ["list"], "an array");
  return { kind: "array", op: op as ArrayOp, left, right: operand(1, ["list"], "an array") };
}
