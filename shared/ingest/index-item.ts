// The one way an item enters the index, for ingest and the Transactions API alike, and the rule that
// decides which of the two writers owns an item.
//
// Ownership: an item's `source` is the S3 key it was read from, or API_SOURCE (products/object-home.ts)
// when it was last written through the API. Removing or replacing an object only ever removes the item
// when the item's source is that object's key, so API-written items are never deleted by ingest. An
// ingest may overwrite an API-written item only when the object was last modified strictly after the
// API write (S3 keeps that time to the second); otherwise the object is recorded as a failure an
// operator can see, and the API version stays.
import { randomBytes } from "node:crypto";
import { withProductUuid } from "../index/product-uuid.ts";
import { buildItemRows } from "../index/rows.ts";
import { API_SOURCE } from "../products/object-home.ts";
import type { StacCollection, StacItem } from "../stac/types.ts";
import type { Catalogue, ExpectedItem, StoredItem } from "../storage/catalogue.ts";

export interface IndexItemDeps {
  catalogue: Catalogue;
  /** The collection to create when the first item of a new collection arrives. */
  describeCollection(id: string): StacCollection;
}

export interface IndexedItem {
  /** The item as stored (with its DHuS UUID). */
  item: StacItem;
  rows: number;
}

/**
 * Stamps the item's DHuS UUID, creates its collection when new, writes rows and record (rows of the
 * previous version go), and widens the collection's extent and summaries.
 */
export async function indexItem(
  deps: IndexItemDeps,
  raw: StacItem,
  /** `expected`: the record this write replaces (null: none); the write is refused if it changed. */
  o: { version: string; source: string; expected?: ExpectedItem | null },
): Promise<IndexedItem> {
  const { catalogue } = deps;
  const item = withProductUuid(raw);
  const collection = item.collection!;
  if (!(await catalogue.getCollection(collection)))
    await catalogue.putCollection(deps.describeCollection(collection));
  const built = buildItemRows(item, o.version);
  await catalogue.putItem(item, built.rows, built.record, o.version, o.source, o.expected);
  await catalogue.extendCollection(collection, built.summary);
  return { item, rows: built.rows.length };
}

/**
 * The item's record dates (STAC common metadata): `created` is when the archive first indexed the item
 * and is kept by every later write of it (a re-ingest, a replaced object, a resync), `updated` is this
 * write. The DHuS facade's ingestiondate is `created`; its creationdate is the product's own.
 */
export function withRecordDates(item: StacItem, stored: StoredItem | undefined, now: Date): StacItem {
  const before = stored?.item.properties["created"];
  const at = now.toISOString();
  const created = typeof before === "string" && !Number.isNaN(Date.parse(before)) ? before : at;
  return { ...item, properties: { ...item.properties, created, updated: at } };
}

/** Version stamp of an API write: its time, then a nonce so two writes in one millisecond differ. */
export const apiVersion = (now: Date): string => `api:${now.toISOString()}:${randomBytes(4).toString("hex")}`;

export const writtenThroughApi = (s: StoredItem | undefined): boolean => s?.source === API_SOURCE;

/** When an API-written item was written; undefined for ingested items. */
export function apiWriteTime(s: StoredItem): Date | undefined {
  if (!writtenThroughApi(s)) return undefined;
  const t = new Date(s.version.slice("api:".length, s.version.lastIndexOf(":")));
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** The ownership rule (see the top of this module): may an object modified then replace this item? */
export function ingestMayOverwrite(
  stored: StoredItem | undefined,
  objectModified: Date | undefined,
): boolean {
  if (!writtenThroughApi(stored)) return true;
  const written = apiWriteTime(stored!);
  if (!written || !objectModified) return false;
  return objectModified.getTime() > written.getTime();
}
