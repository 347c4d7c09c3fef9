// One SigV4-signed POST to an AWS service endpoint, for the few calls made without their SDK client
// (Lambda Invoke, Secrets Manager, SNS): each is one request, and the client would be a dependency.
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { Sha256 } from "./sha256.ts";

export interface SignedPost {
  service: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  url: URL;
  /** Headers besides `host`, which is added and signed. */
  headers: Record<string, string>;
  body: string;
  fetch?: typeof fetch | undefined;
}

/** Signs and sends the request; the caller reads the answer's status and body. */
export async function signedPost(o: SignedPost): Promise<Response> {
  const signer = new SignatureV4({
    service: o.service,
    region: o.region,
    credentials: o.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign({
    method: "POST",
    protocol: o.url.protocol,
    hostname: o.url.hostname,
    ...(o.url.port ? { port: Number(o.url.port) } : {}),
    path: o.url.pathname,
    query: {},
    headers: { host: o.url.host, ...o.headers },
    body: o.body,
  });
  return (o.fetch ?? fetch)(o.url, { method: "POST", headers: signed.headers, body: o.body });
}
