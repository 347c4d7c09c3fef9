// Reconcile: the bucket is the truth, the index follows it. Lists the bucket page by page and compares
// it with the object ledger, the item records and the failures list; every object whose outcome is
// missing or out of date, and every item or failure record whose object is gone, is sent back through
// ingest as a resync (applied under the key's claim, like any event). Items an object wrote but no
// longer describes are deleted directly, conditionally on the version seen.
//
// Catches what events cannot: notifications lost (a stopped local stack, a purged dead-letter queue, a
// misconfigured bucket), and events whose processing was cut short. Keys being ingested right now (a
// live claim) are left to that event.
import type { Logger } from "../log.ts";
import { API_SOURCE } from "../products/object-home.ts";
import type { Catalogue, ItemSource } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import type { ObjectLedger, ObjectState } from "../storage/object-ledger.ts";
import type { ObjectInfo } from "../storage/object-store.ts";

export interface ReconcileDeps {
  catalogue: Catalogue;
  ledger: ObjectLedger;
  /** The products bucket, one ListObjectsV2 page at a time. */
  listObjects(): AsyncIterable<ObjectInfo[]>;
  /** Hands keys to ingest to apply their current state (the ingest queue, or at once): how many it took. */
  resync(keys: string[]): Promise<number>;
  log: Logger;
  now(): Date;
}

export interface ReconcileReport {
  objects: number;
  items: number;
  failures: number;
  /** Objects with neither an outcome nor an item or failure record. */
  missing: number;
  /** Objects whose recorded outcome is of other bytes (another ETag) or does not match the records. */
  stale: number;
  /** Items whose object is gone. */
  ghosts: number;
  /** Failure records whose object is gone. */
  orphanFailures: number;
  /** Items an object wrote but no longer describes (deleted here). */
  duplicates: number;
  /** Keys being ingested while reconcile looked (left alone). */
  inProgress: number;
  resynced: number;
  /** Keys to resync that were left for the next run (time ran out). */
  deferred: number;
}

/** Keys per resync message (SQS batches of ten records each are one ingest invocation's worth). */
const RESYNC_CHUNK = 10;

export async function reconcile(deps: ReconcileDeps, o: { dryRun?: boolean } = {}): Promise<ReconcileReport> {
  const { catalogue, ledger } = deps;
  const report: ReconcileReport = {
    objects: 0,
    items: 0,
    failures: 0,
    missing: 0,
    stale: 0,
    ghosts: 0,
    orphanFailures: 0,
    duplicates: 0,
    inProgress: 0,
    resynced: 0,
    deferred: 0,
  };
  // Records first, listing after: an object uploaded meanwhile is in the listing and resynced (harmless);
  // a record written meanwhile for an object that is listed is at worst resynced once more.
  const failures = new Map((await catalogue.listFailures()).map((f) => [f.key, f]));
  report.failures = failures.size;
  const bySource = new Map<string, ItemSource[]>();
  const existing = new Set<string>();
  for (const c of await catalogue.listCollections()) {
    for await (const page of catalogue.listItemSources(c.collection.id)) {
      for (const s of page) {
        report.items++;
        existing.add(itemRef(s.collection, s.id));
        if (s.source === undefined || s.source === API_SOURCE) continue;
        const list = bySource.get(s.source) ?? [];
        list.push(s);
        bySource.set(s.source, list);
      }
    }
  }

  const toResync: string[] = [];
  const flush = async (all = false) => {
    while (toResync.length >= RESYNC_CHUNK || (all && toResync.length > 0)) {
      const keys = toResync.splice(0, RESYNC_CHUNK);
      const taken = o.dryRun ? keys.length : await deps.resync(keys);
      report.resynced += taken;
      report.deferred += keys.length - taken;
    }
  };
  const dropLeftovers = async (key: string, state: ObjectState | undefined) => {
    for (const s of bySource.get(key) ?? []) {
      if (state?.outcome === "indexed" && s.collection === state.collection && s.id === state.id) continue;
      report.duplicates++;
      if (o.dryRun) continue;
      await catalogue.deleteItem(
        s.collection,
        s.id,
        { version: s.version, source: key },
        { cause: "duplicate", text: `another item was indexed from ${key}`, by: "reconcile" },
      );
      await ledger.unlinkObject(s.collection, s.id, key);
    }
  };

  const listed = new Set<string>();
  for await (const page of deps.listObjects()) {
    const states = await ledger.getObjectStates(page.map((p) => p.key));
    const now = deps.now().getTime();
    for (const object of page) {
      report.objects++;
      listed.add(object.key);
      const state = states.get(object.key);
      if (state?.leaseUntil !== undefined && state.leaseUntil > now) {
        report.inProgress++;
        continue;
      }
      const verdict = judge(object, state, {
        hasFailure: failures.has(object.key),
        hasItem: (c, id) => existing.has(itemRef(c, id)),
        wroteItems: (bySource.get(object.key) ?? []).length > 0,
      });
      if (verdict === "ok") {
        await dropLeftovers(object.key, state);
        continue;
      }
      report[verdict]++;
      toResync.push(object.key);
    }
    await flush();
  }

  // Records of objects that are gone: their keys are resynced, which finds them gone and removes them.
  const unlisted = new Set<string>();
  for (const key of bySource.keys()) {
    if (!listed.has(key)) {
      report.ghosts += bySource.get(key)!.length;
      unlisted.add(key);
    }
  }
  for (const key of failures.keys()) {
    if (!listed.has(key)) {
      report.orphanFailures++;
      unlisted.add(key);
    }
  }
  const states = await ledger.getObjectStates([...unlisted]);
  for (const key of unlisted) {
    const state = states.get(key);
    if (state?.leaseUntil !== undefined && state.leaseUntil > deps.now().getTime()) {
      report.inProgress++;
      continue;
    }
    // What the ledger does not point at, a resync would not find: deleted here.
    await dropLeftovers(key, state);
    toResync.push(key);
  }
  await flush(true);
  deps.log.info("reconciled", { ...report, ...(o.dryRun ? { dryRun: true } : {}) });
  return report;
}

type Verdict = "ok" | "missing" | "stale";

function judge(
  object: ObjectInfo,
  state: ObjectState | undefined,
  seen: { hasFailure: boolean; hasItem(c: string, id: string): boolean; wroteItems: boolean },
): Verdict {
  if (!state?.outcome || state.outcome === "removed")
    return seen.hasFailure || seen.wroteItems ? "stale" : "missing";
  if (object.etag && state.etag !== object.etag) return "stale";
  switch (state.outcome) {
    case "indexed":
      if (seen.hasFailure) return "stale";
      return state.collection && state.id && seen.hasItem(state.collection, state.id) ? "ok" : "stale";
    case "failed":
      return seen.hasFailure ? "ok" : "stale";
    case "skipped":
      return seen.hasFailure ? "stale" : "ok";
  }
}
