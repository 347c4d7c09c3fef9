// Adapts the scheduled lifecycle jobs (EventBridge rules, cdk/constructs/lifecycle-jobs.ts) to the
// domain: `{"job": "sync-deletions"}` applies the upstream deletion list, `{"job": "retention"}` evicts
// what the retention policies expired; each reads its input from the lifecycle bucket.
import middy from "@middy/core";
import { BadRequestError } from "../../shared/errors.ts";
import { type RetentionReport, runRetention } from "../../shared/lifecycle/retention.ts";
import { parseRetentionPolicies } from "../../shared/lifecycle/retention-policy.ts";
import { type SyncReport, syncDeletions } from "../../shared/lifecycle/sync-deletions.ts";
import { parseUpstreamDeletions } from "../../shared/lifecycle/upstream-deletions.ts";
import type { LifecycleJobDeps } from "./deps.ts";

export interface LifecycleEvent {
  job: "sync-deletions" | "retention";
  dryRun?: boolean;
}

export interface LifecycleHandlerDeps {
  jobs: LifecycleJobDeps;
  /** The object's text, or undefined when there is none (nothing to do). */
  readInput(key: string): Promise<string | undefined>;
  deletionsKey: string;
  retentionKey: string;
}

export type LifecycleResult = { job: string; skipped: string } | SyncReport | RetentionReport;

export function makeLifecycleHandler(deps: LifecycleHandlerDeps) {
  return middy<LifecycleEvent, LifecycleResult>().handler(async (event) => {
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
    throw new BadRequestError(`unknown lifecycle job '${String((event as { job?: unknown }).job)}'`);
  });
}
