// What a deleted item leaves behind: its tombstone, made from the stored item before it goes.
import { summarize } from "../index/rows.ts";
import type { StoredItem } from "../storage/catalogue.ts";
import type { Deletion } from "../storage/changes.ts";
import type { Tombstone } from "../storage/tombstones.ts";

/** The properties a tombstone keeps for listings and the DHuS view (names as the item has them). */
const KEPT_PROPERTIES = [
  "platform",
  "constellation",
  "product:type",
  "s2:product_type",
  "sar:product_type",
  "processing:level",
];

export function tombstoneOf(
  stored: StoredItem,
  deletion: Deletion,
  at: Date,
  objects: { bucket: string; keys: string[] },
): Tombstone {
  const item = stored.item;
  const s = summarize(item, stored.version);
  const properties: Record<string, unknown> = {};
  for (const k of KEPT_PROPERTIES) if (item.properties[k] !== undefined) properties[k] = item.properties[k];
  return {
    collection: s.collection,
    id: item.id,
    geometry: item.geometry,
    bbox: s.bbox,
    datetime: s.datetime,
    start: s.start,
    end: s.end,
    properties,
    deletion,
    deletedAt: at.toISOString(),
    bucket: objects.bucket,
    objects: objects.keys,
  };
}

/** One line for answers and reports: "obsolete-format (Obsolete product format), by operator:alice on …". */
export function describeDeletion(t: Tombstone): string {
  const d = t.deletion;
  const text = d.text && d.text !== d.cause ? ` (${d.text})` : "";
  return `${d.cause}${text}${d.by ? `, by ${d.by}` : ""} on ${t.deletedAt}`;
}
