// Ingest on upload: one object event in, one consistent catalogue state out. A product that cannot be
// read gets a failure record (and no item); a passing fault is thrown so the queue retries it.
import { CatalogueError, ConflictError } from "../http/errors.ts";
import type { Logger } from "../log.ts";
import type { ProductContext, ReadOutcome } from "../products/types.ts";
import type { StacCollection } from "../stac/types.ts";
import type { Catalogue, ObjectState } from "../storage/catalogue.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import type { ObjectEvent } from "./events.ts";
import { apiWriteTime, indexItem, ingestMayOverwrite } from "./index-item.ts";
import type { Md5Settings } from "./md5-jobs.ts";
import { keepComputedMd5, md5JobFor } from "./product-md5.ts";

export interface IngestDeps {
  catalogue: Catalogue;
  storeFor(bucket: string): ObjectStore;
  readProduct(ctx: ProductContext): Promise<ReadOutcome>;
  /** The collection to create when the first item of a new collection arrives. */
  describeCollection(id: string): StacCollection;
  log: Logger;
  now(): Date;
  /** MD5s of products S3 gives none for (multipart uploads), computed after indexing; absent: never. */
  md5?: Md5Settings | undefined;
}

export type IngestResult =
  | { status: "indexed"; collection: string; id: string }
  | { status: "removed"; collection?: string; id?: string }
  | { status: "failed"; reason: string }
  | { status: "skipped"; reason: string };

export async function ingestObjectEvent(deps: IngestDeps, ev: ObjectEvent): Promise<IngestResult> {
  const { catalogue, log } = deps;
  const previous = await catalogue.getObjectState(ev.key);
  if (previous && previous.sequencer > ev.sequencer) {
    log.info("stale event ignored", { key: ev.key, kind: ev.kind });
    return { status: "skipped", reason: "a newer event for this object was already processed" };
  }
  if (ev.kind === "removed") return removeObject(deps, ev, previous);

  const store = deps.storeFor(ev.bucket);
  const object = await store.head(ev.key);
  if (!object) return { status: "skipped", reason: "object no longer exists" };

  let outcome: ReadOutcome;
  try {
    outcome = await deps.readProduct({ store, object });
  } catch (err) {
    if (err instanceof CatalogueError && !err.retryable) {
      // The object's bytes changed into something unreadable: the item describing the old bytes goes.
      await dropPreviousItem(catalogue, ev.key, previous);
      return recordFailure(deps, ev, err);
    }
    throw err;
  }
  if (outcome.kind === "skip") {
    await catalogue.advanceObjectState(ev.key, { sequencer: ev.sequencer });
    return { status: "skipped", reason: outcome.reason };
  }

  const collection = outcome.item.collection!;
  const id = outcome.item.id;
  if (previous?.id && (previous.id !== id || previous.collection !== collection)) {
    await dropPreviousItem(catalogue, ev.key, previous);
  }
  // An item written through the API is replaced only by an object modified after it (index-item.ts).
  const existing = await catalogue.getItem(collection, id);
  if (!ingestMayOverwrite(existing, object.lastModified)) {
    const written = existing ? apiWriteTime(existing)?.toISOString() : undefined;
    const modified = object.lastModified?.toISOString() ?? "an unknown time";
    return recordFailure(
      deps,
      ev,
      new ConflictError(
        `item '${id}' of collection '${collection}' was written through the API (${written ?? "at an unknown time"}) ` +
          `after this object was last modified (${modified}); the API version is kept. Upload the object again to replace it.`,
      ),
    );
  }
  const at = { bucket: store.bucket, key: ev.key, version: ev.sequencer };
  const item = keepComputedMd5(outcome.item, existing, at);
  const indexed = await indexItem(deps, item, { version: ev.sequencer, source: ev.key });
  await catalogue.deleteFailure(ev.key);
  await catalogue.advanceObjectState(ev.key, { sequencer: ev.sequencer, collection, id });
  log.info("indexed", { key: ev.key, collection, id, rows: indexed.rows });
  // Searchable from here on; the MD5 read, when one is needed, happens outside this batch.
  const job = deps.md5 && md5JobFor(indexed.item, object, { ...at, maxBytes: deps.md5.maxBytes });
  if (deps.md5 && job) await deps.md5.jobs.start(job);
  return { status: "indexed", collection, id };
}

async function removeObject(
  deps: IngestDeps,
  ev: ObjectEvent,
  previous: ObjectState | undefined,
): Promise<IngestResult> {
  const { catalogue } = deps;
  await catalogue.deleteFailure(ev.key);
  const result: IngestResult = { status: "removed" };
  if (previous?.collection && previous.id && (await dropPreviousItem(catalogue, ev.key, previous))) {
    result.collection = previous.collection;
    result.id = previous.id;
  }
  await catalogue.advanceObjectState(ev.key, { sequencer: ev.sequencer });
  deps.log.info("removed", { key: ev.key, ...(result.id ? { id: result.id } : {}) });
  return result;
}

/** Deletes the item an object produced before, unless another object has produced it since. */
async function dropPreviousItem(
  catalogue: Catalogue,
  key: string,
  previous: ObjectState | undefined,
): Promise<boolean> {
  if (!previous?.collection || !previous.id) return false;
  const stored = await catalogue.getItem(previous.collection, previous.id);
  if (!stored || (stored.source !== undefined && stored.source !== key)) return false;
  return catalogue.deleteItem(previous.collection, previous.id);
}

async function recordFailure(deps: IngestDeps, ev: ObjectEvent, err: CatalogueError): Promise<IngestResult> {
  const reason = err.message;
  const record = { key: ev.key, reason, time: deps.now().toISOString(), code: err.code };
  await deps.catalogue.putFailure(ev.etag ? { ...record, etag: ev.etag } : record);
  await deps.catalogue.advanceObjectState(ev.key, { sequencer: ev.sequencer });
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
  return { status: "failed", reason };
}
