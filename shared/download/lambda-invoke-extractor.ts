// The AWS extractor: an asynchronous invocation of a function running the API handler, which
// recognises the job payload.
import { LambdaEventInvoker, type LambdaInvokeOptions } from "../aws/lambda-event.ts";
import type { ExtractEvent, ExtractJob, Extractor } from "./extraction.ts";

export type { LambdaInvokeOptions } from "../aws/lambda-event.ts";

export class LambdaInvokeExtractor implements Extractor {
  private readonly lambda: LambdaEventInvoker;

  constructor(o: LambdaInvokeOptions) {
    this.lambda = new LambdaEventInvoker(o);
  }

  async start(job: ExtractJob): Promise<void> {
    const event: ExtractEvent = { hexarchive: "extract", ...job };
    await this.lambda.invoke(event, "the extraction");
  }
}
