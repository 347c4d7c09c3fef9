// Asynchronous Lambda invocations (InvocationType Event): Lambda queues the event, retries it and
// sends what still fails to the function's failure destination. The Invoke REST call is one POST
// signed here with SigV4 (@smithy/signature-v4) because @aws-sdk/client-lambda is not a dependency;
// Lambda answers 202 once the event is queued.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { TransientError } from "../errors.ts";
import { signedPost } from "./signed-post.ts";

export interface LambdaInvokeOptions {
  functionName: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Defaults to the regional Lambda endpoint. */
  endpoint?: string | undefined;
  fetch?: typeof fetch;
}

export class LambdaEventInvoker {
  private readonly url: URL;

  constructor(private readonly o: LambdaInvokeOptions) {
    const base = o.endpoint ?? `https://lambda.${o.region}.amazonaws.com`;
    this.url = new URL(`/2015-03-31/functions/${encodeURIComponent(o.functionName)}/invocations`, base);
  }

  /** Queues `event`; a refusal is a TransientError saying what could not be started (`what`). */
  async invoke(event: unknown, what: string): Promise<void> {
    const body = JSON.stringify(event);
    const res = await signedPost({
      service: "lambda",
      region: this.o.region,
      credentials: this.o.credentials,
      url: this.url,
      headers: { "content-type": "application/json", "x-amz-invocation-type": "Event" },
      body,
      fetch: this.o.fetch,
    });
    if (res.status !== 202) {
      const detail = (await res.text()).slice(0, 300);
      throw new TransientError(`could not start ${what} (Lambda answered ${res.status})`, {
        cause: new Error(detail),
      });
    }
  }
}
