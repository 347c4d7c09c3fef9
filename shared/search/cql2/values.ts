// Resolves AST operands against one STAC item into runtime values. `null` means missing or not
// of the needed type: the caller treats it as SQL's UNKNOWN.
import type { Geometry, StacItem } from "../../stac/types.ts";
import type { Cql2Value, IntervalBound } from "./ast.ts";
import { bboxToGeometry } from "./geometry/parts.ts";
import { checkGeometry } from "./literals.ts";
import { instant, parseInstant, type Time } from "./temporal.ts";

export type Scalar = string | number | boolean | Time;

/** The raw JSON value of a property: id, collection and geometry are top-level item fields. */
export function propertyValue(name: string, item: StacItem): unknown {
  if (name === "id") return item.id;
  if (name === "collection") return item.collection;
  if (name === "geometry") return item.geometry;
  return Object.hasOwn(item.properties, name) ? item.properties[name] : undefined;
}

function primitive(v: unknown): Scalar | null {
  return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))
    ? v
    : null;
}

function arithmetic(op: string, a: number, b: number): number | null {
  const r = (() => {
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        return a / b;
      case "%":
        return a % b;
      case "div":
        return Math.trunc(a / b);
      default:
        return a ** b;
    }
  })();
  return Number.isFinite(r) ? r : null;
}

const stripAccents = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");

export function scalar(node: Cql2Value, item: StacItem): Scalar | null {
  switch (node.kind) {
    case "property":
      return primitive(propertyValue(node.name, item));
    case "string":
    case "number":
    case "boolean":
      return node.value;
    case "timestamp":
    case "date": {
      const ms = parseInstant(node.value);
      return ms === null ? null : instant(ms);
    }
    case "arithmetic": {
      const [a, b] = [scalar(node.left, item), scalar(node.right, item)];
      return typeof a === "number" && typeof b === "number" ? arithmetic(node.op, a, b) : null;
    }
    case "casei":
    case "accenti": {
      const s = scalar(node.arg, item);
      if (typeof s !== "string") return null;
      return node.kind === "casei" ? s.toLowerCase() : stripAccents(s);
    }
    default:
      return null;
  }
}

/** The item's own time: its start/end_datetime interval when it has one, else its datetime instant. */
function itemTime(item: StacItem): Time | null {
  const { start_datetime: s, end_datetime: e, datetime } = item.properties;
  if (typeof s === "string" && typeof e === "string") {
    const [start, end] = [parseInstant(s), parseInstant(e)];
    if (start !== null && end !== null) return { kind: "time", start, end };
  }
  const ms = typeof datetime === "string" ? parseInstant(datetime) : null;
  return ms === null ? null : instant(ms);
}

function boundTime(b: IntervalBound, item: StacItem, open: number): Time | null {
  return b === null ? instant(open) : temporal(b, item);
}

export function temporal(node: Cql2Value, item: StacItem): Time | null {
  switch (node.kind) {
    case "property": {
      if (node.name === "datetime") return itemTime(item);
      const v = propertyValue(node.name, item);
      const ms = typeof v === "string" ? parseInstant(v) : null;
      return ms === null ? null : instant(ms);
    }
    case "interval": {
      const start = boundTime(node.start, item, Number.NEGATIVE_INFINITY);
      const end = boundTime(node.end, item, Number.POSITIVE_INFINITY);
      return start === null || end === null ? null : { kind: "time", start: start.start, end: end.end };
    }
    default: {
      const s = scalar(node, item);
      return typeof s === "object" && s !== null ? s : null;
    }
  }
}

class NotAGeometry extends Error {}

export function geometry(node: Cql2Value, item: StacItem): Geometry | null {
  if (node.kind === "geometry") return node.geometry;
  if (node.kind === "bbox") return bboxToGeometry(node.bbox);
  if (node.kind !== "property") return null;
  const v = propertyValue(node.name, item);
  if (v === null || v === undefined) return null;
  try {
    return checkGeometry(v, () => {
      throw new NotAGeometry();
    });
  } catch {
    return null;
  }
}

export function list(node: Cql2Value, item: StacItem): (Scalar | null)[] | null {
  if (node.kind === "list") return node.items.map((i) => scalar(i, item));
  if (node.kind !== "property") return null;
  const v = propertyValue(node.name, item);
  return Array.isArray(v) ? v.map(primitive) : null;
}
