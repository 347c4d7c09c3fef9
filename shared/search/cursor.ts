// Opaque paging tokens: the sort position of the last item returned, tied to the search it belongs to.
import { createHash } from "node:crypto";
import { BadRequestError } from "../http/errors.ts";

export interface Cursor {
  /** datetime, collection and id of the last item on the previous page (the sort is by these, descending). */
  datetime: string;
  collection: string;
  id: string;
}

export function fingerprint(parts: unknown): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 12);
}

export function encodeCursor(c: Cursor, search: string): string {
  return Buffer.from(JSON.stringify([c.datetime, c.collection, c.id, search])).toString("base64url");
}

export function decodeCursor(token: string, search: string): Cursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new BadRequestError("token: not a paging token issued by this API");
  }
  if (!Array.isArray(parts) || parts.length !== 4 || !parts.every((p) => typeof p === "string"))
    throw new BadRequestError("token: not a paging token issued by this API");
  if (parts[3] !== search)
    throw new BadRequestError("token: this token belongs to a different search; keep the other parameters unchanged");
  const [datetime, collection, id] = parts as [string, string, string, string];
  return { datetime, collection, id };
}

/** Sort order of results: newest first, then collection and id descending, so that every position is unique. */
export function compareDesc(a: Cursor, b: Cursor): number {
  if (a.datetime !== b.datetime) return a.datetime < b.datetime ? 1 : -1;
  if (a.collection !== b.collection) return a.collection < b.collection ? 1 : -1;
  if (a.id !== b.id) return a.id < b.id ? 1 : -1;
  return 0;
}
