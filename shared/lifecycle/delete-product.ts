// Deleting a product with a cause: its tombstone first, then its item and index rows, then its objects,
// so that a deletion cut short anywhere is completed by running it again and nothing is lost half-done.
// The ObjectRemoved events S3 sends afterwards find no item left to remove (shared/ingest/ingest.ts).
import { NotFoundError, TransientError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { detectFormat } from "../products/detect-format.ts";
import { API_SOURCE } from "../products/object-home.ts";
import type { Catalogue, StoredItem } from "../storage/catalogue.ts";
import type { Deletion } from "../storage/changes.ts";
import type { ObjectLedger } from "../storage/object-ledger.ts";
import type { ObjectRemover } from "../storage/object-store.ts";
import type { Tombstone, TombstoneStore } from "../storage/tombstones.ts";
import { tombstoneOf } from "./tombstone.ts";

export interface LifecycleDeps {
  catalogue: Pick<Catalogue, "getItem" | "deleteItem">;
  tombstones: TombstoneStore;
  ledger: Pick<ObjectLedger, "linkedObjects">;
  /** The products bucket. */
  objects: ObjectRemover;
  now(): Date;
  log: Logger;
}

export type DeleteOutcome =
  /** Item, rows and objects removed now. */
  | "deleted"
  /** An earlier deletion had been cut short: this run finished it. */
  | "completed"
  /** Already deleted before: nothing to do. */
  | "already-deleted";

export interface DeleteResult {
  outcome: DeleteOutcome;
  tombstone: Tombstone;
}

/** Deletes one product; a 404 when the catalogue never had it (nor a tombstone of it). */
export async function deleteProduct(
  deps: LifecycleDeps,
  collection: string,
  id: string,
  deletion: Deletion,
): Promise<DeleteResult> {
  const stored = await deps.catalogue.getItem(collection, id);
  if (!stored) {
    const t = await deps.tombstones.getTombstone(collection, id);
    if (!t) throw new NotFoundError(`item '${id}' does not exist in collection '${collection}'`);
    if (t.objectsRemovedAt) return { outcome: "already-deleted", tombstone: t };
    return { outcome: "completed", tombstone: await removeObjects(deps, t) };
  }
  const keys = await productObjects(deps, collection, id, stored);
  const tombstone = await deps.tombstones.putTombstone(
    tombstoneOf(stored, deletion, deps.now(), { bucket: deps.objects.bucket, keys }),
  );
  // Conditional on the version read: a writer that replaced the item meanwhile makes this a retry.
  if (!(await deps.catalogue.deleteItem(collection, id, stored, tombstone.deletion)))
    throw new TransientError(`item '${id}' changed while it was being deleted; run the deletion again`);
  deps.log.info("product deleted", { collection, id, cause: tombstone.deletion.cause });
  return { outcome: "deleted", tombstone: await removeObjects(deps, tombstone) };
}

/** The keys the product is stored under: the object it was read from (its whole folder) and any other. */
async function productObjects(
  deps: LifecycleDeps,
  collection: string,
  id: string,
  stored: StoredItem,
): Promise<string[]> {
  const sources = new Set(await deps.ledger.linkedObjects(collection, id));
  if (stored.source && stored.source !== API_SOURCE) sources.add(stored.source);
  const keys = new Set<string>();
  for (const key of sources) {
    const f = detectFormat(key);
    if (f.kind === "safe-folder" || f.kind === "landsat-folder") {
      for (const o of await deps.objects.list(f.prefix)) keys.add(o.key);
    }
    keys.add(key);
  }
  return [...keys].sort();
}

async function removeObjects(deps: LifecycleDeps, t: Tombstone): Promise<Tombstone> {
  // The tombstone names the keys, so a re-run removes exactly what the first run meant to.
  for (const key of t.objects) await deps.objects.deleteObject(key);
  const at = deps.now().toISOString();
  await deps.tombstones.markObjectsRemoved(t.collection, t.id, at);
  return { ...t, objectsRemovedAt: at };
}
