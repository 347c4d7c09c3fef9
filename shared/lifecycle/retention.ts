// The retention job: finds items whose policy (./retention-policy.ts) has expired them and deletes
// each with the cause "automatic-eviction", after finishing any deletion an earlier run left half-done.
// A run killed anywhere and run again deletes nothing twice and keeps everything it should: every
// deletion starts from its tombstone (./delete-product.ts) and decisions are made again from the policy.
import { CatalogueError } from "../errors.ts";
import { timePartition, timeRange } from "../index/keys.ts";
import type { RowReader } from "../storage/catalogue.ts";
import { type DeleteOutcome, deleteProduct, type LifecycleDeps } from "./delete-product.ts";
import {
  expiresAt,
  policyFor,
  type RetentionPolicy,
  type RetentionRule,
  ruleFor,
  shortestKeepMs,
} from "./retention-policy.ts";

export interface Expired {
  collection: string;
  id: string;
  datetime: string;
  rule: string;
  expiredAt: string;
}

export interface RetentionReport {
  dryRun: boolean;
  /** Items old enough to be looked at (younger ones cannot have expired under any rule). */
  checked: number;
  expired: Expired[];
  /** Of those, deleted by this run (0 in a dry run). */
  evicted: number;
  /** Deletions an earlier run had left unfinished, finished now (or, in a dry run, found). */
  completed: number;
  /** Expired items found already gone meanwhile (deleted by someone else between reading and deleting). */
  skipped: number;
}

export interface RetentionDeps extends LifecycleDeps {
  rows: RowReader;
}

const UNFINISHED_PAGE = 500;

export async function runRetention(
  deps: RetentionDeps,
  policies: RetentionPolicy[],
  o: { dryRun: boolean },
): Promise<RetentionReport> {
  const now = deps.now();
  const report: RetentionReport = {
    dryRun: o.dryRun,
    checked: 0,
    expired: [],
    evicted: 0,
    completed: 0,
    skipped: 0,
  };
  for (const collection of [...new Set(policies.map((p) => p.collection))].sort()) {
    report.completed += await finishUnfinished(deps, collection, o.dryRun);
    const mine = policies.filter((p) => p.collection === collection);
    const keep = Math.min(...mine.map((p) => shortestKeepMs(p) ?? Number.POSITIVE_INFINITY));
    if (!Number.isFinite(keep)) continue;
    const expired = await findExpired(deps, mine, collection, new Date(now.getTime() - keep), now, report);
    report.expired.push(...expired.map((e) => e.expired));
    if (o.dryRun) continue;
    for (const { expired: e, rule } of expired) {
      const outcome = await evict(deps, e, rule);
      if (outcome === "deleted") report.evicted++;
      else if (outcome === "completed") report.completed++;
      else report.skipped++;
    }
  }
  return report;
}

async function findExpired(
  deps: RetentionDeps,
  policies: RetentionPolicy[],
  collection: string,
  before: Date,
  now: Date,
  report: RetentionReport,
): Promise<{ expired: Expired; rule: RetentionRule }[]> {
  const out: { expired: Expired; rule: RetentionRule }[] = [];
  const seen = new Set<string>();
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.rows.queryRows({
      pk: timePartition(collection),
      range: timeRange("0000", before.toISOString()),
      ...(startKey ? { startKey } : {}),
    });
    for (const { summary: s } of page.rows) {
      if (seen.has(s.id)) continue;
      seen.add(s.id);
      report.checked++;
      const policy = policyFor(policies, s);
      const rule = policy && ruleFor(policy, s);
      const at = rule && expiresAt(rule, s.datetime);
      if (rule && at && at <= now)
        out.push({
          expired: {
            collection,
            id: s.id,
            datetime: s.datetime,
            rule: rule.name,
            expiredAt: at.toISOString(),
          },
          rule,
        });
    }
    startKey = page.next;
  } while (startKey);
  return out;
}

async function evict(deps: RetentionDeps, e: Expired, rule: RetentionRule): Promise<DeleteOutcome | "gone"> {
  const kept = rule.keepDays ? `${rule.keepDays} days` : `${rule.keepMonths} months`;
  try {
    const r = await deleteProduct(deps, e.collection, e.id, {
      cause: "automatic-eviction",
      text: `Automatic Eviction: retention rule '${rule.name}' keeps ${kept}`,
      by: "retention",
    });
    return r.outcome;
  } catch (err) {
    // A row left of an item deleted meanwhile (it has no record and no tombstone): nothing to evict.
    if (err instanceof CatalogueError && err.status === 404) return "gone";
    throw err;
  }
}

/** Deletions of this collection whose objects were not all removed yet: run again, they finish. */
async function finishUnfinished(deps: RetentionDeps, collection: string, dryRun: boolean): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.tombstones.listTombstones({ collection, limit: UNFINISHED_PAGE, cursor });
    for (const t of page.tombstones) {
      if (t.objectsRemovedAt) continue;
      n++;
      if (!dryRun) await deleteProduct(deps, collection, t.id, t.deletion);
    }
    cursor = page.next;
  } while (cursor);
  return n;
}

/** The report as an operator reads it. */
export function formatRetentionReport(r: RetentionReport): string {
  const lines = r.expired.map(
    (e) => `  ${e.collection}/${e.id}  ${e.datetime}  rule '${e.rule}', expired ${e.expiredAt}`,
  );
  return [
    `${r.dryRun ? "Dry run: would evict" : "Evicted"} ${r.dryRun ? r.expired.length : r.evicted} of ${r.checked} items old enough to check` +
      (r.completed
        ? `; ${r.dryRun ? "would finish" : "finished"} ${r.completed} deletions left unfinished`
        : "") +
      (r.skipped ? `; ${r.skipped} already gone` : ""),
    ...lines,
  ].join("\n");
}
