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

/** Runs each invocation after the current request, in this process; `idle()` waits for all of them. */
export class InProcessJobs implements JobStarter {
  private readonly running = new Set<Promise<void>>();
  private run: ((event: JobEvent) => Promise<void>) | undefined;

  constructor(private readonly log: Logger) {}

  /** The runner, given once the runner's own dependencies (which include this starter) exist. */
  attach(run: (event: JobEvent) => Promise<void>): this {
    this.run = run;
    return this;
  }

  async start(event: JobEvent): Promise<void> {
    const run = this.run;
    if (!run) throw new Error("no job runner attached");
    const p: Promise<void> = new Promise<void>((r) => setImmediate(r))
      .then(() => run(event))
      .catch((e: unknown) => this.log.error("job crashed", { event, error: String(e) }))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
