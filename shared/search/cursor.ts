// Opaque paging tokens: the sort position of the last item returned (its sort values, collection and
// id), tied to a fingerprint of the search it belongs to so that it cannot be replayed on another.
import { createHash } from "node:crypto";
import { BadRequestError } from "../http/errors.ts";

/** Newest-first position, still used by the executor's default order. */
export interface Cursor {
  datetime: string;
  collection: string;
  id: string;
}

export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

const NOT_OURS = "token: not a paging token issued by this API";

export function encodePosition(position: unknown[], search: string): string {
  // undefined (a missing sort value) travels as null.
  return Buffer.from(JSON.stringify({ p: position.map((v) => v ?? null), s: search })).toString("base64url");
}

export function decodePosition(token: string, search: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new BadRequestError(NOT_OURS);
  }
  if (typeof parsed !== "object" || parsed === null) throw new BadRequestError(NOT_OURS);
  const { p, s } = parsed as Record<string, unknown>;
  if (!Array.isArray(p) || typeof s !== "string") throw new BadRequestError(NOT_OURS);
  if (s !== search)
    throw new BadRequestError(
      "token: this token belongs to a different search; keep the other parameters unchanged",
    );
  return p;
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
