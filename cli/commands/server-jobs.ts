// A server's background job as the CLI sees it (GET /jobs/{id}): polled until it ends, each change of
// its progress written as one line to stderr.
import type { Context } from "../command.ts";
import { UsageError } from "../errors.ts";
import { sleep } from "../http.ts";

export interface JobView {
  id: string;
  status: "queued" | "running" | "succeeded" | "failed";
  counts?: Record<string, number>;
  error?: string;
  badLines?: { line: number; reason: string }[];
  result?: { href: string; type: string; bytes: number };
  links: { rel: string; href: string }[];
}

/** The job's own URL, as its record links it. */
export const jobSelf = (job: JobView): string =>
  job.links.find((l) => l.rel === "self")?.href ?? `/jobs/${job.id}`;

/** `--poll S`, in ms. */
export function pollMs(value: unknown): number {
  const s = Number(value ?? 2);
  if (!(s > 0)) throw new UsageError("--poll: seconds, more than 0");
  return s * 1000;
}

/** Polls the job until it has succeeded or failed; `describe` turns its counts into the progress line. */
export async function awaitJob(
  ctx: Context,
  job: JobView,
  what: string,
  describe: (counts: Record<string, number> | undefined) => string,
  everyMs: number,
): Promise<JobView> {
  const self = jobSelf(job);
  let shown = "";
  while (job.status === "queued" || job.status === "running") {
    await sleep(everyMs);
    job = await ctx.api.json<JobView>(self);
    const line = `${what} job ${job.id} ${job.status}: ${describe(job.counts)}`;
    if (line !== shown) ctx.err.write(`${line}\n`);
    shown = line;
  }
  return job;
}
