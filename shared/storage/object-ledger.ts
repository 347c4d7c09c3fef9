// Port for what ingest keeps per object key: the newest event applied and what it produced, a lease
// that makes one event at a time the owner of the key, and which objects describe which item.
//
// DynamoDB Local (dynalite) has no transactions, so ordering rests on conditional writes: an event
// claims its key (only if no newer event has been applied and no live lease is held), changes the
// catalogue, then releases the key with its outcome (only while it still holds the lease).

export interface ObjectState {
  /** Newest S3 sequencer applied; "" when none has been yet. */
  sequencer: string;
  collection?: string;
  id?: string;
  /** ETag of the bytes the outcome was computed from: a listing with another ETag means an event was lost. */
  etag?: string;
  outcome?: "indexed" | "failed" | "skipped" | "removed";
  /**
   * An item an event was about to write when it lost its claim (crashed, timed out): it may exist,
   * and the next event of the key removes it unless it describes it again.
   */
  pending?: { collection: string; id: string };
}

export type ClaimResult =
  | { status: "claimed"; previous: ObjectState | undefined }
  | { status: "stale"; sequencer: string }
  | { status: "busy"; until: number };

export interface Claim {
  /** Absent for a reconcile's resync, which applies the object's current state whatever the order. */
  sequencer?: string;
  token: string;
  now: number;
  leaseMs: number;
}

/** The read side the API needs: which item an object produced (downloads and hrefs are confined by it). */
export type ObjectOwners = Pick<ObjectLedger, "getObjectState">;

export interface ObjectLedger {
  getObjectState(key: string): Promise<ObjectState | undefined>;
  /** States of many keys (absent keys are missing from the map); with the time their lease ends, if any. */
  getObjectStates(keys: string[]): Promise<Map<string, ObjectState & { leaseUntil?: number }>>;
  claimObject(key: string, claim: Claim): Promise<ClaimResult>;
  /**
   * Ends the lease `token` holds, recording `state` (keeping the stored sequencer when `state` has
   * none); false when the lease was lost (it expired and another event claimed the key).
   */
  releaseObject(key: string, token: string, state?: ObjectState): Promise<boolean>;

  /** Notes, while `token` holds the key, the item about to be written (ObjectState.pending); false if the claim was lost. */
  notePending(key: string, token: string, collection: string, id: string): Promise<boolean>;

  /** Records that the object `key` describes item (collection, id). */
  linkObject(collection: string, id: string, key: string): Promise<void>;
  unlinkObject(collection: string, id: string, key: string): Promise<void>;
  /** Object keys that describe the item, oldest link first is not promised. */
  linkedObjects(collection: string, id: string): Promise<string[]>;
}
