// The change log's contract: every item created, updated or deleted becomes one ordered change, written
// only after the write it records is durable. The change feed (GET …/changes), mirrors, and
// subscriptions read it; deletions carry their cause. Adapters implement ChangeLogReader.

/** The normalised deletion causes; the upstream's own wording travels beside it in `text`. */
export const DELETION_CAUSES = [
  "obsolete-format",
  "corrupted",
  "duplicate",
  "superseded",
  "automatic-eviction",
  "invalid",
  "withdrawn",
  "operator",
  "other",
] as const;
export type DeletionCause = (typeof DELETION_CAUSES)[number];

/** Why an item was deleted, and by whom. */
export interface Deletion {
  cause: DeletionCause;
  /** The original free text (e.g. CDSE's `DeletionCause`), when there was one. */
  text?: string;
  /** The user or job that deleted it (e.g. `operator:alice`, `retention`, `upstream-sync`). */
  by?: string;
}

export type ChangeKind = "created" | "updated" | "deleted";

/** One entry of the change log. */
export interface ItemChange {
  /** Opaque, totally ordered within the log: read on from it with `since`. */
  cursor: string;
  collection: string;
  id: string;
  kind: ChangeKind;
  /** When the change became durable (RFC 3339, UTC). */
  at: string;
  /** The item record's version after the change (the deleted version for deletions). */
  version: string;
  /** Content hash of the item as stored (absent for deletions), so mirrors skip unchanged items. */
  hash?: string;
  deletion?: Deletion;
}

export interface ChangePage {
  changes: ItemChange[];
  /** Cursor to pass as `since` for the next page; absent when the log holds nothing newer yet. */
  next?: string;
}

/** Reads the change log in order, catalogue-wide or for one collection. */
export interface ChangeLogReader {
  readChanges(opts: { since?: string; collection?: string; limit: number }): Promise<ChangePage>;
}
