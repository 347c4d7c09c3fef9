// cql2-json → AST. Errors name the JSON path of the offending node, e.g. `filter.args[1].args[0]`.
import { BadRequestError } from "../../errors.ts";
import { parseJsonText } from "../../http/json-input.ts";
import { type Cql2Expr, type Cql2Node, type Cql2Value, type IntervalBound, isExpr } from "./ast.ts";
import { buildOperation, describe, type Fail } from "./build.ts";
import { checkBBox, checkDate, checkLiteralGeometry, checkTimestamp, instantKind } from "./literals.ts";
import type { ParseOptions } from "./text-parser.ts";

const MAX_DEPTH = 100;

function keyed(obj: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(obj, key);
}

class JsonParser {
  constructor(private readonly param: string) {}

  private failer(path: string): Fail {
    return (message) => {
      throw new BadRequestError(`${this.param}: ${message} at ${path}`);
    };
  }

  node(value: unknown, path: string, depth: number): Cql2Node {
    const fail = this.failer(path);
    if (depth > MAX_DEPTH) return fail(`expression is nested more than ${MAX_DEPTH} levels deep`);
    if (typeof value === "string") return { kind: "string", value };
    if (typeof value === "boolean") return { kind: "boolean", value };
    if (typeof value === "number") {
      return Number.isFinite(value) ? { kind: "number", value } : fail("numbers must be finite");
    }
    if (Array.isArray(value)) {
      return { kind: "list", items: value.map((v, i) => this.value(v, `${path}[${i}]`, depth + 1)) };
    }
    if (typeof value !== "object" || value === null)
      return fail(`${value === null ? "null" : typeof value} is not a CQL2 value`);
    const obj = value as Record<string, unknown>;
    if (keyed(obj, "op")) {
      const op = obj["op"];
      const args = obj["args"];
      if (typeof op !== "string") return fail(`"op" must be a string`);
      if (!Array.isArray(args)) return fail(`"args" of "${op}" must be an array`);
      const nodes = args.map((a, i) => this.node(a, `${path}.args[${i}]`, depth + 1));
      return buildOperation(op, nodes, fail);
    }
    if (keyed(obj, "property")) {
      const name = obj["property"];
      if (typeof name !== "string" || name === "") return fail(`"property" must be a non-empty string`);
      return { kind: "property", name };
    }
    if (keyed(obj, "timestamp")) {
      const ts = obj["timestamp"];
      if (typeof ts !== "string") return fail(`"timestamp" must be a string`);
      return { kind: "timestamp", value: checkTimestamp(ts, fail) };
    }
    if (keyed(obj, "date")) {
      const d = obj["date"];
      if (typeof d !== "string") return fail(`"date" must be a string`);
      return { kind: "date", value: checkDate(d, fail) };
    }
    if (keyed(obj, "interval")) {
      const ends = obj["interval"];
      if (!Array.isArray(ends) || ends.length !== 2) return fail(`"interval" must be an array of 2 instants`);
      const bound = (i: number) => this.bound(ends[i], `${path}.interval[${i}]`);
      return { kind: "interval", start: bound(0), end: bound(1) };
    }
    if (keyed(obj, "bbox")) return { kind: "bbox", bbox: checkBBox(obj["bbox"], fail) };
    if (keyed(obj, "type")) return { kind: "geometry", geometry: checkLiteralGeometry(obj, fail) };
    const keys = Object.keys(obj).join(", ") || "none";
    return fail(
      `unrecognised object (keys: ${keys}); expected one with "op", "property", "timestamp", "date", "interval", "bbox" or a GeoJSON "type"`,
    );
  }

  private value(v: unknown, path: string, depth: number): Cql2Value {
    const node = this.node(v, path, depth);
    if (node.kind !== "boolean" && node.kind !== "property" && isExpr(node)) {
      return this.failer(path)(`expected a value, got ${describe(node)}`);
    }
    return node as Cql2Value;
  }

  private bound(v: unknown, path: string): IntervalBound {
    const fail = this.failer(path);
    if (typeof v === "string") {
      const kind = instantKind(v);
      if (kind === "open") return null;
      if (kind === "date") return { kind, value: checkDate(v, fail) };
      return { kind: "timestamp", value: checkTimestamp(v, fail) };
    }
    const node = this.node(v, path, 0);
    if (node.kind === "timestamp" || node.kind === "date" || node.kind === "property") return node;
    return fail(
      `an interval end must be a date or timestamp string, "..", or a property, got ${describe(node)}`,
    );
  }
}

/**
 * Parses a cql2-json filter, given as the decoded JSON value or as its JSON text.
 * Every problem is a BadRequestError naming the JSON path.
 */
export function parseCql2Json(json: unknown, options: ParseOptions = {}): Cql2Expr {
  const param = options.param ?? "filter";
  let value = json;
  if (typeof json === "string") {
    value = parseJsonText(json, param);
  }
  const node = new JsonParser(param).node(value, param, 0);
  if (!isExpr(node))
    throw new BadRequestError(`${param}: the filter must be a boolean expression, got ${describe(node)}`);
  return node;
}
