// Runs one invocation of a job: takes it (if this invocation is still the one it waits for), runs its
// steps until done or the time runs low, then completes it or saves the checkpoint and starts the next
// invocation. Any failure marks the job failed with the reason, and its partial result is discarded.
import { CatalogueError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type ChunkClock, runChunks, type Step } from "./chunks.ts";
import {
  beginExport,
  type ExportCheckpoint,
  type ExportDeps,
  exportCounts,
  exportStep,
  finishExport,
} from "./export-job.ts";
import {
  beginImport,
  type ImportCheckpoint,
  type ImportDeps,
  importCounts,
  importStep,
} from "./import-job.ts";
import { type BadLine, isFinished, type Job, type JobKind, type JobResult, jobEvent } from "./model.ts";
import type { JobStarter } from "./starters.ts";
import type { JobStore } from "./store.ts";

/** One kind of job, over a checkpoint of its own. */
export interface JobKindRunner<C> {
  begin(job: Job): Promise<C>;
  step(job: Job, c: C): Promise<Step<C>>;
  finish(job: Job, c: C): Promise<JobResult | undefined>;
  /** Discards what a failed job left (an unfinished upload). */
  abandon(job: Job, c: C): Promise<void>;
  counts(c: C): Record<string, number>;
  badLines?(c: C): BadLine[];
}

export interface JobRunnerDeps {
  store: JobStore;
  starter: JobStarter;
  kinds: { [K in JobKind]?: JobKindRunner<unknown> };
  log: Logger;
  now(): Date;
  /** Time kept back from the invocation's end: one step, the checkpoint and the next invocation. */
  reserveMs: number;
}

export function exportRunner(deps: ExportDeps): JobKindRunner<ExportCheckpoint> {
  return {
    begin: (job) => beginExport(deps, job),
    step: (job, c) => exportStep(deps, job, c),
    finish: (job, c) => finishExport(deps, job, c),
    abandon: async (_job, c) => {
      await deps.uploads.abort(c.key, c.uploadId);
      if (c.spool) await deps.uploads.remove(c.spool);
    },
    counts: exportCounts,
  };
}

export function importRunner(deps: ImportDeps): JobKindRunner<ImportCheckpoint> {
  return {
    begin: (job) => beginImport(deps, job),
    step: (job, c) => importStep(deps, job, c),
    finish: async () => undefined,
    abandon: async () => {},
    counts: importCounts,
    badLines: (c) => c.badLines,
  };
}

const reasonOf = (e: unknown) =>
  e instanceof CatalogueError ? e.message : `${(e as Error).message ?? String(e)}`.slice(0, 500);

export async function runJob(deps: JobRunnerDeps, event: { id: string; run: number }, clock: ChunkClock) {
  const job = await deps.store.get(event.id);
  if (!job || isFinished(job) || job.run !== event.run) {
    deps.log.info("job invocation not current: nothing to do", {
      ...event,
      run: job?.run,
      status: job?.status,
    });
    return;
  }
  const kind = deps.kinds[job.kind];
  const run = event.run;
  const save = (c: unknown) => {
    job.checkpoint = c;
    job.updated = deps.now().toISOString();
    if (kind && c !== undefined) {
      job.counts = kind.counts(c);
      const bad = kind.badLines?.(c);
      if (bad) job.badLines = bad;
    }
    return deps.store.update(job, run);
  };
  try {
    if (!kind) throw new Error(`this function runs no ${job.kind} jobs`);
    job.status = "running";
    if (!(await save(job.checkpoint ?? (await kind.begin(job))))) return;
    const outcome = await runChunks(job.checkpoint, (c) => kind.step(job, c), {
      clock,
      reserveMs: deps.reserveMs,
      saved: save,
    });
    if (outcome.kind === "lost") return;
    if (outcome.kind === "continue") {
      job.run = run + 1;
      if (!(await save(outcome.checkpoint))) return;
      deps.log.info("job continues in a new invocation", { id: job.id, run: job.run, counts: job.counts });
      try {
        await deps.starter.start(jobEvent(job.id, job.run));
      } catch (e) {
        await fail(deps, job, job.run, kind, e);
      }
      return;
    }
    const result = await kind.finish(job, outcome.checkpoint);
    job.status = "succeeded";
    if (result) job.result = result;
    await save(outcome.checkpoint);
    deps.log.info("job succeeded", { id: job.id, counts: job.counts });
  } catch (e) {
    await fail(deps, job, run, kind, e);
  }
}

async function fail(
  deps: JobRunnerDeps,
  job: Job,
  run: number,
  kind: JobKindRunner<unknown> | undefined,
  e: unknown,
): Promise<void> {
  deps.log.error("job failed", { id: job.id, kind: job.kind, error: String(e), stack: (e as Error).stack });
  if (kind && job.checkpoint !== undefined)
    await kind
      .abandon(job, job.checkpoint)
      .catch((x: unknown) =>
        deps.log.warn("could not discard a failed job's partial result", { id: job.id, error: String(x) }),
      );
  job.status = "failed";
  job.error = reasonOf(e);
  job.updated = deps.now().toISOString();
  await deps.store.update(job, run);
}
