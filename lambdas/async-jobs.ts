// A function that also runs background jobs, invoked asynchronously (InvocationType Event) with their
// own payload: a job event runs the job, anything else goes to the function's own handler. A job that
// throws is retried by Lambda's asynchronous invocation and, failing that, goes to its failure destination.
import type { Context } from "aws-lambda";

export interface AsyncJobKind<J> {
  isEvent(event: unknown): boolean;
  parse(event: unknown): J;
}

export function withAsyncJobs<E, R, J>(
  handler: (event: E, context: Context) => Promise<R>,
  kind: AsyncJobKind<J>,
  run: (job: J) => Promise<unknown>,
) {
  return async (event: E, context: Context): Promise<R | undefined> => {
    if (!kind.isEvent(event)) return handler(event, context);
    await run(kind.parse(event));
    return undefined;
  };
}
