// Stable product UUIDs (the ids the DHuS facade shows; ingest stamps them on every item), derived from
// the item so that no mapping needs storing, and shaped so that the item is found again from the UUID
// alone with one small query of its collection's time rows.
// Layout (RFC 9562 version 8, vendor-specific): 48 bits of the item's index datetime in ms since 1970,
// the version nibble, 12 bits of a hash of the collection id, the variant bits, 62 bits of a hash of
// collection + item id.
import { createHash } from "node:crypto";
import type { StacItem } from "../stac/types.ts";
import { toIndexTime } from "./time.ts";

/** The STAC property that shows an item's DHuS UUID. */
export const UUID_PROPERTY = "hexarchive:uuid";

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const sha = (s: string) => createHash("sha256").update(s).digest();

export const collectionHash = (collection: string): number => sha(collection).readUInt16BE(0) & 0x0fff;

export function productUuid(collection: string, id: string, datetime: string): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(Math.max(0, Date.parse(datetime)), 0, 6);
  b.writeUInt16BE(0x8000 | collectionHash(collection), 6);
  sha(`${collection}\u0000${id}`).copy(b, 8, 0, 8);
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The instant the index sorts an item by (as `summarize` computes it). */
export function itemIndexTime(item: StacItem): string {
  const p = item.properties;
  return toIndexTime(String(p.datetime ?? p["start_datetime"]));
}

export const itemUuid = (item: StacItem): string =>
  productUuid(item.collection ?? "", item.id, itemIndexTime(item));

/** The item with its UUID as a property; ingest calls this so that STAC clients see the same UUID. */
export function withProductUuid(item: StacItem): StacItem {
  return { ...item, properties: { ...item.properties, [UUID_PROPERTY]: itemUuid(item) } };
}

/** What a UUID tells about its item, or undefined when it is not one of ours. */
export function parseProductUuid(uuid: string): { datetime: string; collectionHash: number } | undefined {
  const u = uuid.toLowerCase();
  if (!UUID_RE.test(u)) return undefined;
  const b = Buffer.from(u.replace(/-/g, ""), "hex");
  return { datetime: new Date(b.readUIntBE(0, 6)).toISOString(), collectionHash: b.readUInt16BE(6) & 0x0fff };
}
