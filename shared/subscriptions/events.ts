// The event a subscriber receives for one change: the same JSON for webhooks and pull queues.
import type { StacItem } from "../stac/types.ts";
import type { ChangeKind, Deletion, ItemChange } from "../storage/changes.ts";

export interface SubscriptionEvent {
  /** Unique per change (the change log's cursor): a receiver drops an id it has seen (at-least-once). */
  id: string;
  type: `item.${ChangeKind}`;
  subscription: string;
  collection: string;
  item_id: string;
  /** When the change became durable. */
  at: string;
  version: string;
  /**
   * The item as stored after the change (created, updated); absent when deleted, too large, or already
   * replaced by a newer version when the event was made (read it from the API then).
   */
  item?: StacItem;
  deletion?: Deletion;
}

/** Items above this are sent without their body (DynamoDB holds at most 400 KB per queued event). */
export const MAX_EVENT_ITEM_BYTES = 256 * 1024;

/** The event id of a change: its cursor, which no other change has. */
export const eventIdOf = (c: ItemChange): string => c.cursor;

export function eventOf(subscription: string, c: ItemChange, item: StacItem | undefined): SubscriptionEvent {
  const withItem = item && Buffer.byteLength(JSON.stringify(item)) <= MAX_EVENT_ITEM_BYTES;
  return {
    id: eventIdOf(c),
    type: `item.${c.kind}`,
    subscription,
    collection: c.collection,
    item_id: c.id,
    at: c.at,
    version: c.version,
    ...(withItem && c.kind !== "deleted" ? { item } : {}),
    ...(c.deletion ? { deletion: c.deletion } : {}),
  };
}
