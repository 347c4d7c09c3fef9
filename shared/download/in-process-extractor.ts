// The local stack's extractor: runs the job as a background promise in this process. Jobs are keyed by
// cache key, so requests arriving while one runs do not start another (s3rver ignores the conditional
// marker writes that de-duplicate on AWS).
import type { Logger } from "../log.ts";
import type { ExtractJob, Extractor } from "./extraction.ts";

export class InProcessExtractor implements Extractor {
  private readonly running = new Map<string, Promise<void>>();
  /** Jobs started so far (the local stack's statistics and tests read it). */
  started = 0;

  constructor(
    private readonly run: (job: ExtractJob) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  async start(job: ExtractJob): Promise<void> {
    if (this.running.has(job.cacheKey)) return;
    this.started++;
    const done = this.run(job)
      .then(() => {})
      .catch((e) => this.log.error("extraction job crashed", { cacheKey: job.cacheKey, error: String(e) }))
      .finally(() => this.running.delete(job.cacheKey));
    this.running.set(job.cacheKey, done);
  }

  /** Resolves once every job started so far has finished (before shutting the emulators down). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }
}
