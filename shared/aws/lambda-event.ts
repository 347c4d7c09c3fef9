// Asynchronous Lambda invocations (InvocationType Event): Lambda queues the event, retries it and
// sends what still fails to the function's failure destination. The Invoke REST call is one POST
// signed here with SigV4 (@smithy/signature-v4) because @aws-sdk/client-lambda is not a dependency;
// Lambda answers 202 once the event is queued.
import { createHash, createHmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  Checksum,
  SourceData,
} from "@smithy/types";
import { TransientError } from "../http/errors.ts";

const bytesOf = (d: SourceData): string | Uint8Array =>
  typeof d === "string"
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

/** node:crypto behind the hash interface the signer expects (HMAC when given a key). */
class Sha256 implements Checksum {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash("sha256") : createHmac("sha256", bytesOf(secret));
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    throw new Error("Sha256.reset is not supported");
  }
}

export interface LambdaInvokeOptions {
  functionName: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Defaults to the regional Lambda endpoint. */
  endpoint?: string | undefined;
  fetch?: typeof fetch;
}

export class LambdaEventInvoker {
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(private readonly o: LambdaInvokeOptions) {
    this.signer = new SignatureV4({
      service: "lambda",
      region: o.region,
      credentials: o.credentials,
      sha256: Sha256,
    });
    const base = o.endpoint ?? `https://lambda.${o.region}.amazonaws.com`;
    this.url = new URL(`/2015-03-31/functions/${encodeURIComponent(o.functionName)}/invocations`, base);
  }

  /** Queues `event`; a refusal is a TransientError saying what could not be started (`what`). */
  async invoke(event: unknown, what: string): Promise<void> {
    const body = JSON.stringify(event);
    const signed = await this.signer.sign({
      method: "POST",
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: this.url.pathname,
      query: {},
      headers: {
        host: this.url.host,
        "content-type": "application/json",
        "x-amz-invocation-type": "Event",
      },
      body,
    });
    const res = await (this.o.fetch ?? fetch)(this.url, { method: "POST", headers: signed.headers, body });
    if (res.status !== 202) {
      const detail = (await res.text()).slice(0, 300);
      throw new TransientError(`could not start ${what} (Lambda answered ${res.status})`, {
        cause: new Error(detail),
      });
    }
  }
}
