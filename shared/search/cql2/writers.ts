// AST → cql2-json and cql2-text. Output parses back to the same AST.
import type { Cql2Expr, Cql2Node, IntervalBound } from "./ast.ts";
import { toWkt } from "./wkt.ts";

export type Cql2Json = Record<string, unknown> | boolean;

function bound(b: IntervalBound): unknown {
  if (b === null) return "..";
  return b.kind === "property" ? { property: b.name } : b.value;
}

function json(node: Cql2Node): unknown {
  const op = (name: string, ...args: Cql2Node[]) => ({ op: name, args: args.map(json) });
  switch (node.kind) {
    case "and":
    case "or":
      return op(node.kind, ...node.args);
    case "not":
      return op("not", node.arg);
    case "comparison":
    case "arithmetic":
    case "spatial":
    case "temporal":
    case "array":
      return op(node.op, node.left, node.right);
    case "like":
      return op("like", node.value, node.pattern);
    case "between":
      return op("between", node.value, node.low, node.high);
    case "in":
      return { op: "in", args: [json(node.value), node.list.map(json)] };
    case "isNull":
      return op("isNull", node.value);
    case "casei":
    case "accenti":
      return op(node.kind, node.arg);
    case "property":
      return { property: node.name };
    case "string":
    case "number":
    case "boolean":
      return node.value;
    case "timestamp":
      return { timestamp: node.value };
    case "date":
      return { date: node.value };
    case "interval":
      return { interval: [bound(node.start), bound(node.end)] };
    case "geometry":
      return node.geometry;
    case "bbox":
      return { bbox: node.bbox };
    case "list":
      return node.items.map(json);
  }
}

export function toCql2Json(expr: Cql2Expr): Cql2Json {
  return json(expr) as Cql2Json;
}

const RESERVED = new Set(
  "AND OR NOT LIKE BETWEEN IN IS NULL TRUE FALSE DIV POINT LINESTRING POLYGON MULTIPOINT MULTILINESTRING MULTIPOLYGON GEOMETRYCOLLECTION".split(
    " ",
  ),
);

function name(n: string): string {
  if (/^[\p{L}_:][\p{L}\p{N}_:.]*$/u.test(n) && !RESERVED.has(n.toUpperCase())) return n;
  return `"${n.replaceAll('"', '""')}"`;
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

function textBound(b: IntervalBound): string {
  if (b === null) return "'..'";
  return b.kind === "property" ? name(b.name) : quote(b.value);
}

function text(node: Cql2Node): string {
  // Only operands of lower or equal precedence need parentheses; arithmetic always gets them
  // inside arithmetic so that associativity never matters.
  const grouped = (n: Cql2Node) => (n.kind === "and" || n.kind === "or" ? `(${text(n)})` : text(n));
  const term = (n: Cql2Node) => (n.kind === "arithmetic" ? `(${text(n)})` : text(n));
  const call = (fn: string, ...args: Cql2Node[]) => `${fn.toUpperCase()}(${args.map(text).join(", ")})`;
  switch (node.kind) {
    case "and":
    case "or":
      return node.args.map(grouped).join(node.kind === "and" ? " AND " : " OR ");
    case "not": {
      const a = node.arg;
      if (a.kind === "isNull") return `${text(a.value)} IS NOT NULL`;
      if (a.kind === "like") return `${text(a.value)} NOT LIKE ${text(a.pattern)}`;
      if (a.kind === "between") return `${text(a.value)} NOT BETWEEN ${text(a.low)} AND ${text(a.high)}`;
      if (a.kind === "in") return `${text(a.value)} NOT IN (${a.list.map(text).join(", ")})`;
      return `NOT (${text(a)})`;
    }
    case "comparison":
      return `${text(node.left)} ${node.op} ${text(node.right)}`;
    case "arithmetic":
      return `${term(node.left)} ${node.op} ${term(node.right)}`;
    case "spatial":
    case "temporal":
    case "array":
      return call(node.op, node.left, node.right);
    case "like":
      return `${text(node.value)} LIKE ${text(node.pattern)}`;
    case "between":
      return `${text(node.value)} BETWEEN ${text(node.low)} AND ${text(node.high)}`;
    case "in":
      return `${text(node.value)} IN (${node.list.map(text).join(", ")})`;
    case "isNull":
      return `${text(node.value)} IS NULL`;
    case "casei":
    case "accenti":
      return call(node.kind, node.arg);
    case "property":
      return name(node.name);
    case "string":
      return quote(node.value);
    case "number":
      return String(node.value);
    case "boolean":
      return node.value ? "TRUE" : "FALSE";
    case "timestamp":
      return `TIMESTAMP(${quote(node.value)})`;
    case "date":
      return `DATE(${quote(node.value)})`;
    case "interval":
      return `INTERVAL(${textBound(node.start)}, ${textBound(node.end)})`;
    case "geometry":
      return toWkt(node.geometry);
    case "bbox":
      return `BBOX(${node.bbox.join(", ")})`;
    case "list":
      return `(${node.items.map(text).join(", ")})`;
  }
}

export function toCql2Text(expr: Cql2Expr): string {
  return text(expr);
}
