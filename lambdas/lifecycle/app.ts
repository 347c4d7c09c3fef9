// Adapts the scheduled lifecycle jobs (EventBridge rules, cdk/constructs/lifecycle-jobs.ts) to the
// domain: `{"job": "sync-deletions"}` applies the upstream deletion list, `{"job": "retention"}` evicts
// what the retention policies expired; each reads its input from the lifecycle bucket; `{"job":
// "snapshots"}` brings the monthly stac-geoparquet snapshots up to date with the change log, until its time
// runs low, and then invokes this function again to go on from where it stopped. Invoked by an
// operator, `{"job": "reindex", "collection": C}` gives C its base rows until its time runs out.
import middy from "@middy/core";
import { BadRequestError } from "../../shared/errors.ts";
import { refreshSnapshots, type SnapshotRun } from "../../shared/export/snapshots.ts";
import { type RetentionReport, runRetention } from "../../shared/lifecycle/retention.ts";
import { parseRetentionPolicies } from "../../shared/lifecycle/retention-policy.ts";
import { type SyncReport, syncDeletions } from "../../shared/lifecycle/sync-deletions.ts";
import { parseUpstreamDeletions } from "../../shared/lifecycle/upstream-deletions.ts";
import type { ReindexReport } from "../../shared/storage/dynamo-base-rows.ts";
import type { LifecycleJobDeps } from "./deps.ts";

export interface LifecycleEvent {
  job: "sync-deletions" | "retention" | "reindex" | "snapshots";
  /** snapshots: rebuild every month of every collection. */
  full?: boolean;
  dryRun?: boolean;
  /** reindex: the collection to give its base rows. */
  collection?: string;
}

/** A reindex stops this long before the function's timeout (a page takes seconds); the next run resumes. */
export const REINDEX_MARGIN_MS = 60_000;
/** A snapshot refresh stops this long before the timeout (a chunk: a part of a month, 8 MiB of rows). */
export const SNAPSHOTS_MARGIN_MS = 120_000;

export interface LifecycleHandlerDeps {
  jobs: LifecycleJobDeps;
  /** The object's text, or undefined when there is none (nothing to do). */
  readInput(key: string): Promise<string | undefined>;
  deletionsKey: string;
  retentionKey: string;
  /** Invokes this function (by name) again with the event, asynchronously: a refresh goes on there. */
  continueWith?(functionName: string, event: LifecycleEvent): Promise<void>;
}

export type LifecycleResult =
  | { job: string; skipped: string }
  | SyncReport
  | RetentionReport
  | ReindexReport
  | SnapshotRun;

export function makeLifecycleHandler(deps: LifecycleHandlerDeps) {
  return middy<LifecycleEvent, LifecycleResult>().handler(async (event, context) => {
    const dryRun = event.dryRun === true;
    const log = deps.jobs.log;
    if (event.job === "sync-deletions") {
      const text = await deps.readInput(deps.deletionsKey);
      if (text === undefined) return { job: event.job, skipped: `no ${deps.deletionsKey}` };
      const report = await syncDeletions(deps.jobs, parseUpstreamDeletions(text, deps.deletionsKey), {
        dryRun,
      });
      log.info("upstream deletions applied", { ...report, matched: report.matched.length });
      return report;
    }
    if (event.job === "retention") {
      const text = await deps.readInput(deps.retentionKey);
      if (text === undefined) return { job: event.job, skipped: `no ${deps.retentionKey}` };
      // A policy file with a mistake throws here: nothing is evicted, and the failed run alarms.
      const report = await runRetention(deps.jobs, parseRetentionPolicies(text, deps.retentionKey), {
        dryRun,
      });
      log.info("retention applied", { ...report, expired: report.expired.length });
      return report;
    }
    if (event.job === "snapshots") {
      // Runs never overlap: the function's reserved concurrency is 1 (each run rewrites whole months).
      const remaining = context.getRemainingTimeInMillis?.bind(context);
      const run = await refreshSnapshots(
        {
          catalogue: deps.jobs.catalogue,
          changes: deps.jobs.catalogue,
          objects: deps.jobs.objects,
          uploads: deps.jobs.uploads,
        },
        {
          full: event.full === true,
          ...(remaining ? { stop: () => remaining() < SNAPSHOTS_MARGIN_MS } : {}),
        },
      );
      log.info(run.done ? "snapshots refreshed" : "snapshot refresh continues in a new invocation", {
        full: run.full,
        changesRead: run.changesRead,
        written: run.written.length,
        removed: run.removed.length,
        left: run.left,
      });
      // The refresh's state says where it stands: the next invocation (not full: that would start over) goes on.
      if (!run.done && deps.continueWith && context.functionName)
        await deps.continueWith(context.functionName, { job: "snapshots" });
      return run;
    }
    if (event.job === "reindex") {
      if (!event.collection) throw new BadRequestError("the reindex job needs a 'collection'");
      const remaining = context.getRemainingTimeInMillis?.();
      const until = remaining === undefined ? undefined : Date.now() + remaining - REINDEX_MARGIN_MS;
      const report = await deps.jobs.catalogue.reindexBaseRows(event.collection, {
        dryRun,
        ...(until === undefined ? {} : { until }),
      });
      log.info("base rows reindex", { ...report });
      return report;
    }
    throw new BadRequestError(`unknown lifecycle job '${String((event as { job?: unknown }).job)}'`);
  });
}
