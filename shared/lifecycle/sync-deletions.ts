// Applying an upstream deletion list: each listed product this catalogue holds is deleted with the
// upstream's cause mapped to the vocabulary (its text kept); a dry run only lists them. Idempotent:
// products deleted before are counted, not deleted again; deletions left unfinished are finished.
import type { Catalogue } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import { causeOfText } from "./causes.ts";
import { deleteProduct, type LifecycleDeps } from "./delete-product.ts";
import { itemIdOfName, type UpstreamDeletion } from "./upstream-deletions.ts";

export interface SyncDeps extends LifecycleDeps {
  catalogue: LifecycleDeps["catalogue"] & Pick<Catalogue, "getItems" | "listCollections">;
}

export interface SyncMatch {
  collection: string;
  id: string;
  name: string;
  cause: string;
  text?: string | undefined;
}

export interface SyncReport {
  dryRun: boolean;
  listed: number;
  /** Held here and (unless a dry run) deleted now. */
  matched: SyncMatch[];
  deleted: number;
  /** Deleted before by an earlier sync or an operator: left alone (unfinished ones finished). */
  alreadyDeleted: number;
  /** Never held here. */
  notHeld: number;
}

const BATCH = 100;

export async function syncDeletions(
  deps: SyncDeps,
  list: UpstreamDeletion[],
  o: { dryRun: boolean },
): Promise<SyncReport> {
  const collections = (await deps.catalogue.listCollections()).map((c) => c.collection.id);
  const report: SyncReport = {
    dryRun: o.dryRun,
    listed: list.length,
    matched: [],
    deleted: 0,
    alreadyDeleted: 0,
    notHeld: 0,
  };
  const unique = [...new Map(list.map((d) => [itemIdOfName(d.name), d])).entries()];
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    const held = await deps.catalogue.getItems(
      batch.flatMap(([id]) => collections.map((collection) => ({ collection, id }))),
    );
    for (const [id, d] of batch) {
      const hits = collections.filter((c) => held.has(itemRef(c, id)));
      if (hits.length === 0) {
        if (await deletedBefore(deps, collections, id, o.dryRun)) report.alreadyDeleted++;
        else report.notHeld++;
        continue;
      }
      for (const collection of hits) {
        const cause = causeOfText(d.cause);
        report.matched.push({ collection, id, name: d.name, cause, text: d.cause });
        if (o.dryRun) continue;
        await deleteProduct(deps, collection, id, {
          cause,
          ...(d.cause ? { text: d.cause } : {}),
          by: "upstream-sync",
        });
        report.deleted++;
      }
    }
  }
  return report;
}

/** Whether a tombstone of the id exists; an unfinished deletion is finished (not in a dry run). */
async function deletedBefore(
  deps: SyncDeps,
  collections: string[],
  id: string,
  dryRun: boolean,
): Promise<boolean> {
  let found = false;
  for (const collection of collections) {
    const t = await deps.tombstones.getTombstone(collection, id);
    if (!t) continue;
    found = true;
    if (!t.objectsRemovedAt && !dryRun) await deleteProduct(deps, collection, id, t.deletion);
  }
  return found;
}

export function formatSyncReport(r: SyncReport): string {
  return [
    `${r.listed} products listed upstream: ${r.matched.length} held here ${r.dryRun ? "would be deleted" : `deleted (${r.deleted})`}, ` +
      `${r.alreadyDeleted} already deleted, ${r.notHeld} never held`,
    ...r.matched.map((m) => `  ${m.collection}/${m.id}  ${m.cause}${m.text ? ` (${m.text})` : ""}`),
  ].join("\n");
}
