// XML parsing for product metadata: namespace prefixes dropped, values kept as strings, malformed
// documents refused with a ProductError that names the document.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { ProductError } from "../errors.ts";

export type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

export function parseXml(bytes: Uint8Array | string, document: string): XmlNode {
  const text = typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line } = valid.err;
    throw new ProductError(`malformed XML in ${document}: ${msg} (line ${line})`);
  }
  return parser.parse(text) as XmlNode;
}

/** The text of a node: a plain string, or `#text` of an element that has attributes. */
export function textOf(node: unknown): string | undefined {
  if (node === undefined || node === null) return undefined;
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === "object") return textOf((node as XmlNode)["#text"]);
  return undefined;
}

export function attrOf(node: unknown, name: string): string | undefined {
  const n = Array.isArray(node) ? node[0] : node;
  if (n && typeof n === "object") {
    const v = (n as XmlNode)[`@${name}`];
    return v === undefined ? undefined : String(v);
  }
  return undefined;
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** Every node named `name` anywhere below `node`, depth first, in document order. */
export function findAll(node: unknown, name: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    for (const n of node) findAll(n, name, out);
  } else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node as XmlNode)) {
      if (k === name) out.push(...asArray(v));
      if (!k.startsWith("@") && typeof v === "object") findAll(v, name, out);
    }
  }
  return out;
}

export function findFirst(node: unknown, name: string): unknown {
  return findAll(node, name)[0];
}

export function findText(node: unknown, name: string): string | undefined {
  return textOf(findFirst(node, name));
}

/** A required text field: missing → ProductError naming the field and the document. */
export function requireText(node: unknown, name: string, document: string): string {
  const v = findText(node, name);
  if (v === undefined || v === "") throw new ProductError(`${document} has no ${name}`);
  return v;
}

export function toNumber(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
