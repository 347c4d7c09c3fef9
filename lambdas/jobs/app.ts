// Adapts the jobs function's asynchronous invocations to the runner: the invocation's own remaining time
// is the chunk clock, and a job that needs more time continues in a new invocation of this function.
import type { Context } from "aws-lambda";
import { parseJobEvent } from "../../shared/jobs/model.ts";
import { type JobRunnerDeps, runJob } from "../../shared/jobs/runner.ts";
import type { JobStarter } from "../../shared/jobs/starters.ts";

export function makeJobsHandler(
  deps: (starter: JobStarter) => JobRunnerDeps,
  starterFor: (functionName: string) => JobStarter,
) {
  return async (event: unknown, context: Context): Promise<void> => {
    const runner = deps(starterFor(context.functionName));
    await runJob(runner, parseJobEvent(event), { remainingMs: () => context.getRemainingTimeInMillis() });
  };
}
