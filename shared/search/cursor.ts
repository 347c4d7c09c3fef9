// Paging positions: the sort values, collection and id of the last item returned, and the fingerprint of
// the search they belong to, which paging tokens carry (signed, see paging-tokens.ts) so that a token
// cannot be replayed on another search.
import { createHash } from "node:crypto";

/** Newest-first position, still used by the executor's default order. */
export interface Cursor {
  datetime: string;
  collection: string;
  id: string;
}

export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

/** Sort order of results: newest first, then collection and id descending, so that every position is unique. */
export function compareDesc(a: Cursor, b: Cursor): number {
  if (a.datetime !== b.datetime) return a.datetime < b.datetime ? 1 : -1;
  if (a.collection !== b.collection) return a.collection < b.collection ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}

/** Oldest first, then collection and id ascending (`sortby` datetime ascending). */
export const compareAsc = (a: Cursor, b: Cursor): number => compareDesc(b, a);
