// Query extension (`query: {"eo:cloud_cover": {"lt": 30}}`), translated into CQL2 so that one
// evaluator runs both it and `filter` on the index rows.
import { BadRequestError } from "../errors.ts";
import { parseJsonText } from "../http/json-input.ts";
import type { ComparisonOp, Cql2Expr, Cql2Value } from "./cql2/index.ts";
import { fieldName } from "./sort.ts";

const COMPARISONS: Record<string, ComparisonOp> = {
  eq: "=",
  neq: "<>",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
};
export const QUERY_OPERATORS = [...Object.keys(COMPARISONS), "startsWith", "endsWith", "contains", "in"];

function literal(v: unknown, where: string): Cql2Value {
  if (typeof v === "string") return { kind: "string", value: v };
  if (typeof v === "number" && Number.isFinite(v)) return { kind: "number", value: v };
  if (typeof v === "boolean") return { kind: "boolean", value: v };
  throw new BadRequestError(`query: ${where} expects a string, number or boolean, got ${JSON.stringify(v)}`);
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, "\\$&");

function text(v: unknown, where: string): string {
  if (typeof v !== "string")
    throw new BadRequestError(`query: ${where} expects a string, got ${JSON.stringify(v)}`);
  return likeEscape(v);
}

function predicate(name: string, op: string, v: unknown): Cql2Expr {
  const property: Cql2Value = { kind: "property", name };
  const where = `'${name}'.${op}`;
  const cmp = COMPARISONS[op];
  if (cmp) return { kind: "comparison", op: cmp, left: property, right: literal(v, where) };
  switch (op) {
    case "startsWith":
      return { kind: "like", value: property, pattern: { kind: "string", value: `${text(v, where)}%` } };
    case "endsWith":
      return { kind: "like", value: property, pattern: { kind: "string", value: `%${text(v, where)}` } };
    case "contains":
      return { kind: "like", value: property, pattern: { kind: "string", value: `%${text(v, where)}%` } };
    case "in":
      if (!Array.isArray(v) || v.length === 0)
        throw new BadRequestError(`query: ${where} expects a non-empty array`);
      return { kind: "in", value: property, list: v.map((x) => literal(x, where)) };
    default:
      throw new BadRequestError(
        `query: unknown operator '${op}' on '${name}' (supported: ${QUERY_OPERATORS.join(", ")})`,
      );
  }
}

/** A JSON object (or, in a query string, its JSON text) → one CQL2 conjunction. */
export function parseQuery(v: unknown): Cql2Expr {
  let q = v;
  if (typeof q === "string") {
    q = parseJsonText(q, "query");
  }
  if (typeof q !== "object" || q === null || Array.isArray(q))
    throw new BadRequestError('query: expected an object such as {"eo:cloud_cover":{"lt":30}}');
  const args: Cql2Expr[] = [];
  for (const [rawName, ops] of Object.entries(q)) {
    if (typeof ops !== "object" || ops === null || Array.isArray(ops) || Object.keys(ops).length === 0)
      throw new BadRequestError(`query: '${rawName}' needs an object of operators, e.g. {"lt": 30}`);
    for (const [op, value] of Object.entries(ops)) args.push(predicate(fieldName(rawName), op, value));
  }
  if (args.length === 0) throw new BadRequestError("query: expected at least one property");
  return args.length === 1 ? args[0]! : { kind: "and", args };
}
