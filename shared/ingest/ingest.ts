// Ingest on upload: one object event in, one consistent catalogue state out. A product that cannot be
// read or stored gets a failure record (and no item); a passing fault is thrown so the queue retries it.
//
// Events for one object key are applied one at a time and in order: each claims the key in the object
// ledger (refused when a newer event was applied, deferred while another holds it), changes the
// catalogue, and releases the key with its outcome. Item writes are also conditional on the record
// they replace, so writers of different keys describing one item cannot both win.
import { randomUUID } from "node:crypto";
import { CatalogueError, ConflictError, ProductError, TransientError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { detectFormat } from "../products/detect-format.ts";
import type { ProductContext, ReadOutcome } from "../products/types.ts";
import { checkStorableItem } from "../stac/storable-item.ts";
import type { StacCollection } from "../stac/types.ts";
import { type Catalogue, itemRef } from "../storage/catalogue.ts";
import type { ClaimResult, ObjectLedger, ObjectState } from "../storage/object-ledger.ts";
import type { ObjectInfo, ObjectStore } from "../storage/object-store.ts";
import type { ObjectEvent } from "./events.ts";
import { apiWriteTime, indexItem, ingestMayOverwrite, withRecordDates } from "./index-item.ts";
import { linkVersions, unlinkVersion } from "./link-versions.ts";
import type { Md5Settings } from "./md5-jobs.ts";
import { keepComputedMd5, md5JobFor } from "./product-md5.ts";

export interface IngestDeps {
  catalogue: Catalogue;
  ledger: ObjectLedger;
  storeFor(bucket: string): ObjectStore;
  readProduct(ctx: ProductContext): Promise<ReadOutcome>;
  /** The collection to create when the first item of a new collection arrives. */
  describeCollection(id: string): StacCollection;
  log: Logger;
  now(): Date;
  /** MD5s of products S3 gives none for (multipart uploads), computed after indexing; absent: never. */
  md5?: Md5Settings | undefined;
  /** How long an event owns its key: longer than one invocation may run (default DEFAULT_LEASE_MS). */
  leaseMs?: number | undefined;
  /** How long an event waits for a key another event holds before going back to the queue. */
  claimWaitMs?: number | undefined;
}

/** The ingest function's timeout (1 minute) and a margin: no invocation outlives its lease. */
export const DEFAULT_LEASE_MS = 90_000;
const DEFAULT_CLAIM_WAIT_MS = 5_000;

export type IngestResult =
  | { status: "indexed"; collection: string; id: string }
  | { status: "removed"; collection?: string; id?: string }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

interface Applied {
  result: IngestResult;
  /** Recorded in the ledger on release. */
  state: ObjectState;
  after?: () => Promise<void>;
}

export async function ingestObjectEvent(deps: IngestDeps, ev: ObjectEvent): Promise<IngestResult> {
  const token = randomUUID();
  const claim = await claimKey(deps, ev, token);
  if (claim.status !== "claimed") {
    deps.log.info("stale event ignored", { key: ev.key, kind: ev.kind });
    return { status: "skipped", reason: "a newer event for this object was already processed" };
  }
  let applied: Applied;
  try {
    applied = await apply(deps, ev, claim.previous, token);
  } catch (err) {
    await deps.ledger.releaseObject(ev.key, token).catch(() => false);
    throw err;
  }
  if (!(await deps.ledger.releaseObject(ev.key, token, applied.state)))
    throw new TransientError(`the claim on '${ev.key}' expired while it was being ingested; retrying`);
  // Searchable from here on; the MD5 read, when one is needed, happens outside this batch.
  await applied.after?.();
  return applied.result;
}

async function claimKey(deps: IngestDeps, ev: ObjectEvent, token: string): Promise<ClaimResult> {
  const waitMs = deps.claimWaitMs ?? DEFAULT_CLAIM_WAIT_MS;
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    const claim = await deps.ledger.claimObject(ev.key, {
      ...(ev.kind === "sync" ? {} : { sequencer: ev.sequencer }),
      token,
      now: deps.now().getTime(),
      leaseMs: deps.leaseMs ?? DEFAULT_LEASE_MS,
    });
    if (claim.status !== "busy") return claim;
    const left = waitMs - (Date.now() - start);
    if (left <= 0) throw new TransientError(`another event for '${ev.key}' is being applied; retrying later`);
    await new Promise((r) => setTimeout(r, Math.min(left, 20 * 2 ** Math.min(attempt, 5))));
  }
}

async function apply(
  deps: IngestDeps,
  ev: ObjectEvent,
  previous: ObjectState | undefined,
  token: string,
): Promise<Applied> {
  // A sync keeps the stored sequencer: it applies the current state but orders nothing.
  const sequencer = ev.kind === "sync" ? "" : ev.sequencer;
  if (ev.kind === "removed") return removeObject(deps, ev, previous, sequencer);
  const store = deps.storeFor(ev.bucket);
  const object = await store.head(ev.key);
  if (!object) return gone(deps, ev, previous, sequencer);

  let outcome: ReadOutcome;
  try {
    outcome = await deps.readProduct({ store, object });
    if (outcome.kind === "item") checkStorableItem(outcome.item, storableError(ev.key));
  } catch (err) {
    if (err instanceof CatalogueError && !err.retryable) {
      // The object's bytes changed into something unreadable: the item describing the old bytes goes.
      await unlinkPrevious(deps, ev, previous);
      return recordFailure(deps, ev, err, sequencer, object);
    }
    // Deleted between HEAD and GET: gone, not a retry. Replaced meanwhile: read it again.
    const now = await store.head(ev.key);
    if (!now) return gone(deps, ev, previous, sequencer);
    throw err;
  }
  if (outcome.kind === "skip") {
    await unlinkPrevious(deps, ev, previous);
    return {
      result: { status: "skipped", reason: outcome.reason },
      state: { sequencer, ...etagOf(object), outcome: "skipped" },
    };
  }

  const collection = outcome.item.collection!;
  const id = outcome.item.id;
  await unlinkPrevious(deps, ev, previous, { collection, id });
  // An item written through the API is replaced only by an object modified after it (index-item.ts).
  const existing = await deps.catalogue.getItem(collection, id);
  if (!existing && (await deletedSince(deps, collection, id, object.lastModified))) {
    // An object of a product deleted with a tombstone, still there because the deletion was cut short
    // (or seen again by reconcile): not indexed again; the deletion, run again, removes it.
    await unlinkPrevious(deps, ev, previous);
    return {
      result: { status: "skipped", reason: `item '${id}' of collection '${collection}' was deleted` },
      state: { sequencer, ...etagOf(object), outcome: "skipped" },
    };
  }
  if (!ingestMayOverwrite(existing, object.lastModified)) {
    const written = existing ? apiWriteTime(existing)?.toISOString() : undefined;
    const modified = object.lastModified?.toISOString() ?? "an unknown time";
    await unlinkPrevious(deps, ev, previous);
    return recordFailure(
      deps,
      ev,
      new ConflictError(
        `item '${id}' of collection '${collection}' was written through the API (${written ?? "at an unknown time"}) ` +
          `after this object was last modified (${modified}); the API version is kept. Upload the object again to replace it.`,
      ),
      sequencer,
      object,
    );
  }
  // Noted and linked before the write: an event cut short leaves a trace the next one clears up, and
  // an object that describes an item is always found by its item's removal.
  if (!(await deps.ledger.notePending(ev.key, token, collection, id)))
    throw new TransientError(`the claim on '${ev.key}' expired while it was being ingested; retrying`);
  await deps.ledger.linkObject(collection, id, ev.key);
  const at = { bucket: store.bucket, key: ev.key, version: ev.sequencer };
  const item = withRecordDates(keepComputedMd5(outcome.item, existing, at), existing, deps.now());
  // The record read above is the one this write replaces (the write is conditional on it): not read again.
  const expected = existing ?? null;
  // Other processings of the same acquisition, linked both ways (the older ones written again).
  const linked = await linkVersions(deps, item);
  const indexed = await indexItem(deps, linked.item, { version: ev.sequencer, source: ev.key, expected });
  const relinked = await linked.relink();
  await deps.catalogue.deleteFailure(ev.key);
  deps.log.info("indexed", {
    key: ev.key,
    collection,
    id,
    rows: indexed.rows,
    ...(relinked ? { relinked } : {}),
  });
  const job = deps.md5 && md5JobFor(indexed.item, object, { ...at, maxBytes: deps.md5.maxBytes });
  return {
    result: { status: "indexed", collection, id },
    state: { sequencer, collection, id, ...etagOf(object), outcome: "indexed" },
    after: async () => {
      await settleEarlierAttempts(deps, ev, store);
      if (deps.md5 && job) await deps.md5.jobs.start(job);
    },
  };
}

/**
 * A product uploaded as a folder is read whenever one of its key files arrives (manifest.safe,
 * MTD_MSIL*.xml, ...): a key file that came before the rest failed then ("missing product
 * metadata"). Now that the folder reads, those keys are applied again, so each describes the item
 * and its stale failure record goes. A folder that stays incomplete is never indexed, so its failure
 * stays. Called once the event's own key is released; a sibling another event is applying is applied
 * again after it (that event may have read the folder before it was complete).
 */
async function settleEarlierAttempts(deps: IngestDeps, ev: ObjectEvent, store: ObjectStore): Promise<void> {
  const format = detectFormat(ev.key);
  if (format.kind !== "safe-folder") return;
  const siblings = (await store.list(format.prefix))
    .map((o) => o.key)
    .filter((k) => {
      if (k === ev.key) return false;
      const f = detectFormat(k);
      return f.kind === "safe-folder" && f.prefix === format.prefix;
    });
  if (siblings.length === 0) return;
  const states = await deps.ledger.getObjectStates(siblings);
  const now = deps.now().getTime();
  for (const key of siblings) {
    const state = states.get(key);
    // Being applied now: it may have read the folder before it was complete; applied once more after
    // it. Not from a sync, so that two keys settling each other stop after one round.
    const inProgress = ev.kind !== "sync" && state?.leaseUntil !== undefined && state.leaseUntil > now;
    if (state?.outcome !== "failed" && !inProgress) continue;
    try {
      await ingestObjectEvent(deps, { kind: "sync", bucket: ev.bucket, key, sequencer: "", time: ev.time });
    } catch (err) {
      deps.log.warn("earlier attempt of a folder product not applied again", { key, error: String(err) });
    }
  }
}

async function removeObject(
  deps: IngestDeps,
  ev: ObjectEvent,
  previous: ObjectState | undefined,
  sequencer: string,
): Promise<Applied> {
  await deps.catalogue.deleteFailure(ev.key);
  const result: IngestResult = { status: "removed" };
  if ((await unlinkPrevious(deps, ev, previous)) && previous?.collection && previous.id) {
    result.collection = previous.collection;
    result.id = previous.id;
  }
  deps.log.info("removed", { key: ev.key, ...(result.id ? { id: result.id } : {}) });
  return { result, state: { sequencer, outcome: "removed" } };
}

/** The object is no longer there: what a removal event would do (one follows, or was lost). */
async function gone(
  deps: IngestDeps,
  ev: ObjectEvent,
  previous: ObjectState | undefined,
  sequencer: string,
): Promise<Applied> {
  const removed = await removeObject(deps, ev, previous, sequencer);
  return { ...removed, result: { status: "skipped", reason: "object no longer exists" } };
}

/**
 * This object no longer describes the items it described before (its recorded outcome, and an item an
 * event cut short may have written), except `keep`. Each such item goes when the object wrote it,
 * unless another object still describes it: then that object's current state is applied, and it owns
 * the item. Returns whether an item this object wrote was removed or handed over.
 */
async function unlinkPrevious(
  deps: IngestDeps,
  ev: ObjectEvent,
  previous: ObjectState | undefined,
  keep?: { collection: string; id: string },
): Promise<boolean> {
  const refs: { collection: string; id: string }[] = [];
  if (previous?.collection && previous.id) refs.push({ collection: previous.collection, id: previous.id });
  if (previous?.pending) refs.push(previous.pending);
  let dropped = false;
  const done = new Set<string>();
  for (const ref of refs) {
    const r = itemRef(ref.collection, ref.id);
    if (done.has(r) || (keep && itemRef(keep.collection, keep.id) === r)) continue;
    done.add(r);
    if (await unlinkItem(deps, ev, ref.collection, ref.id)) dropped = true;
  }
  return dropped;
}

async function unlinkItem(
  deps: IngestDeps,
  ev: ObjectEvent,
  collection: string,
  id: string,
): Promise<boolean> {
  await deps.ledger.unlinkObject(collection, id, ev.key);
  const stored = await deps.catalogue.getItem(collection, id);
  if (!stored || stored.source !== ev.key) return false;
  for (const other of await deps.ledger.linkedObjects(collection, id)) {
    if (other === ev.key) continue;
    const r = await ingestObjectEvent(deps, {
      kind: "sync",
      bucket: ev.bucket,
      key: other,
      sequencer: "",
      time: ev.time,
    });
    if (r.status === "indexed" && r.collection === collection && r.id === id) return true;
  }
  // A writer that changed the item meanwhile keeps it (the delete is conditional on this version, read once).
  const deleted = await deps.catalogue.deleteItem(collection, id, stored, {
    cause: "withdrawn",
    text: `object ${ev.key} removed from the bucket`,
    by: "ingest",
  });
  if (deleted) await unlinkVersion(deps, stored.item);
  return deleted;
}

async function recordFailure(
  deps: IngestDeps,
  ev: ObjectEvent,
  err: CatalogueError,
  sequencer: string,
  object: ObjectInfo,
): Promise<Applied> {
  const reason = err.message;
  const record = { key: ev.key, reason, time: deps.now().toISOString(), code: err.code };
  const etag = object.etag ?? ev.etag;
  await deps.catalogue.putFailure(etag ? { ...record, etag } : record);
  // One line per failure, in CloudWatch embedded-metric form so that failures are counted and alarmed on.
  deps.log.error("product not indexed", {
    key: ev.key,
    reason,
    _aws: {
      Timestamp: deps.now().getTime(),
      CloudWatchMetrics: [
        { Namespace: "hexarchive", Dimensions: [[]], Metrics: [{ Name: "IngestFailures", Unit: "Count" }] },
      ],
    },
    IngestFailures: 1,
  });
  return { result: { status: "failed", reason }, state: { sequencer, ...etagOf(object), outcome: "failed" } };
}

/** Whether the item was deleted (it has a tombstone) after this object was last written. */
async function deletedSince(
  deps: IngestDeps,
  collection: string,
  id: string,
  modified: Date | undefined,
): Promise<boolean> {
  const t = await deps.catalogue.getTombstone?.(collection, id);
  // S3 times are whole seconds: an upload within the second of the deletion counts as before it.
  return t !== undefined && (modified === undefined || modified.getTime() < Date.parse(t.deletedAt) + 1000);
}

const etagOf = (o: ObjectInfo): { etag?: string } => (o.etag ? { etag: o.etag } : {});

const storableError = (key: string) => (field: string, why: string) =>
  new ProductError(`cannot store the item of ${key}: ${field} ${why}`);
