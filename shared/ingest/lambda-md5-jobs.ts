// MD5 jobs on AWS: an asynchronous invocation of the function that computes them; Lambda queues the
// event, retries it, and sends what still fails to the ingest dead-letter queue.
import { LambdaEventInvoker, type LambdaInvokeOptions } from "../aws/lambda-event.ts";
import { type Md5Job, type Md5Jobs, toMd5Event } from "./md5-jobs.ts";

export class LambdaMd5Jobs implements Md5Jobs {
  private readonly lambda: LambdaEventInvoker;

  constructor(o: LambdaInvokeOptions) {
    this.lambda = new LambdaEventInvoker(o);
  }

  async start(job: Md5Job): Promise<void> {
    await this.lambda.invoke(toMd5Event(job), `the MD5 job of ${job.key}`);
  }
}
