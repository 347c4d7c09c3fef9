// Free-text search (`q`): terms are ORed; each matches case-insensitively as a substring of an
// item's or collection's id, title, description or keywords, and of an item's platform,
// constellation, instruments and product type. Quoted phrases stay one term.
import { BadRequestError } from "../errors.ts";

export function parseQ(v: unknown, source: "query" | "body"): string[] {
  let raw: string[];
  if (typeof v === "string") raw = source === "query" ? splitTerms(v) : splitTerms(v);
  else if (Array.isArray(v) && v.every((x) => typeof x === "string")) raw = v as string[];
  else throw new BadRequestError("q: expected a string of comma-separated terms or an array of strings");
  const terms = raw
    .map((t) =>
      t
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase(),
    )
    .filter((t) => t !== "");
  if (terms.length === 0) throw new BadRequestError("q: expected at least one search term");
  return terms;
}

/** Commas and spaces separate terms, except inside double quotes. */
function splitTerms(s: string): string[] {
  return s.match(/"[^"]*"|[^,\s]+/g) ?? [];
}

export interface TextFields {
  id: string;
  title?: unknown;
  description?: unknown;
  keywords?: unknown;
}

/** Item properties free text searches besides title, description and keywords (strings or arrays). */
export const ITEM_TEXT_PROPERTIES = [
  "title",
  "description",
  "keywords",
  "platform",
  "constellation",
  "instruments",
  "product:type",
  "sar:product_type",
  "s2:product_type",
] as const;

/** An item's searchable text, from its (row summary's) properties. */
export function itemText(id: string, properties: Record<string, unknown>): unknown[] {
  return [id, ...ITEM_TEXT_PROPERTIES.map((k) => properties[k])];
}

/** Whether any term is in `doc`'s fields, or (items) in the values `itemText` gave. */
export function matchesText(doc: TextFields | unknown[], terms: string[]): boolean {
  const values = Array.isArray(doc) ? doc : [doc.id, doc.title, doc.description, doc.keywords];
  const hay = values
    .flatMap((v) => (Array.isArray(v) ? v : [v]))
    .filter((x): x is string => typeof x === "string")
    .map((x) => x.toLowerCase());
  return terms.some((t) => hay.some((h) => h.includes(t)));
}
