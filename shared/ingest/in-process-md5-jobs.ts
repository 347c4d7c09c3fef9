// The local stack's MD5 jobs: each runs as a background promise in this process, as the asynchronous
// invocation does on AWS; `idle` lets the stack (and tests) wait for them.
import type { Logger } from "../log.ts";
import type { Md5Job, Md5Jobs } from "./md5-jobs.ts";

export class InProcessMd5Jobs implements Md5Jobs {
  private readonly running = new Set<Promise<void>>();
  /** Jobs started so far. */
  started = 0;

  constructor(
    private readonly run: (job: Md5Job) => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  async start(job: Md5Job): Promise<void> {
    this.started++;
    const done: Promise<void> = this.run(job)
      .then(() => {})
      .catch((e) => this.log.error("MD5 job failed", { key: job.key, error: String(e) }))
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves once every job started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
