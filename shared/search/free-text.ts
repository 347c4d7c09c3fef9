// Free-text search (`q`): terms are ORed; each matches case-insensitively as a substring of an
// item's or collection's id, title, description or keywords. Quoted phrases stay one term.
import { BadRequestError } from "../http/errors.ts";

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

export function matchesText(doc: TextFields, terms: string[]): boolean {
  const hay = [doc.id, doc.title, doc.description, ...(Array.isArray(doc.keywords) ? doc.keywords : [])]
    .filter((x): x is string => typeof x === "string")
    .map((x) => x.toLowerCase());
  return terms.some((t) => hay.some((h) => h.includes(t)));
}
