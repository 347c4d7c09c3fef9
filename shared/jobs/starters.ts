// How a job invocation is started: on AWS an asynchronous Lambda invocation of the jobs function (which
// continues its own jobs the same way); locally a background promise in this process.
import type { LambdaEventInvoker } from "../aws/lambda-event.ts";
import type { Logger } from "../log.ts";
import type { JobEvent } from "./model.ts";

export interface JobStarter {
  start(event: JobEvent): Promise<void>;
}

export class LambdaJobStarter implements JobStarter {
  constructor(private readonly invoker: LambdaEventInvoker) {}

  start(event: JobEvent): Promise<void> {
    return this.invoker.invoke(event, `job ${event["hexarchive-job"].id}`);
  }
}

/**
 * Where a process that runs jobs itself records the invocations it started until they end, so that
 * those a kill cut short are started again when it starts (on AWS, Lambda retries a failed asynchronous
 * invocation; a process that is gone retries nothing).
 */
export interface JobJournal {
  /** Invocations started and not ended (by an earlier process), oldest first. */
  pending(): JobEvent[];
  started(event: JobEvent): void;
  ended(event: JobEvent): void;
}

/** Runs each invocation after the current request, in this process; `idle()` waits for all of them. */
export class InProcessJobs implements JobStarter {
  private readonly running = new Set<Promise<void>>();
  private run: ((event: JobEvent) => Promise<void>) | undefined;

  constructor(
    private readonly log: Logger,
    private readonly journal?: JobJournal,
  ) {}

  /**
   * Starts again the invocations an earlier process started and did not end: each goes on from its
   * job's last checkpoint (a job already finished, or continued by a later invocation, is left as it is).
   */
  async resume(): Promise<number> {
    const pending = this.journal?.pending() ?? [];
    for (const event of pending) {
      this.log.info("job invocation resumed after a restart", { event });
      await this.start(event, true);
    }
    return pending.length;
  }

  /** The runner, given once the runner's own dependencies (which include this starter) exist. */
  attach(run: (event: JobEvent) => Promise<void>): this {
    this.run = run;
    return this;
  }

  async start(event: JobEvent, journaled = false): Promise<void> {
    const run = this.run;
    if (!run) throw new Error("no job runner attached");
    if (!journaled) this.journal?.started(event);
    const p: Promise<void> = new Promise<void>((r) => setImmediate(r))
      .then(() => run(event))
      .catch((e: unknown) => this.log.error("job crashed", { event, error: String(e) }))
      .finally(() => {
        this.journal?.ended(event);
        this.running.delete(p);
      });
    this.running.add(p);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
