// Reads one Secrets Manager secret (GetSecretValue, JSON 1.1 protocol) with a request signed here
// (signed-post.ts): @aws-sdk/client-secrets-manager is not a dependency, and a secret is
// read once per cold start.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { TransientError } from "../errors.ts";
import { signedPost } from "./signed-post.ts";

export interface SecretOptions {
  secretId: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Defaults to the regional Secrets Manager endpoint. */
  endpoint?: string | undefined;
  fetch?: typeof fetch;
}

/** The secret's SecretString; a refusal or an outage is a TransientError (the request may be retried). */
export async function readSecretString(o: SecretOptions): Promise<string> {
  const url = new URL(o.endpoint ?? `https://secretsmanager.${o.region}.amazonaws.com/`);
  const body = JSON.stringify({ SecretId: o.secretId });
  const res = await signedPost({
    service: "secretsmanager",
    region: o.region,
    credentials: o.credentials,
    url,
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": "secretsmanager.GetSecretValue",
    },
    body,
    fetch: o.fetch,
  });
  const text = await res.text();
  if (res.status !== 200)
    throw new TransientError(`could not read secret ${o.secretId} (Secrets Manager answered ${res.status})`, {
      cause: new Error(text.slice(0, 300)),
    });
  let value: unknown;
  try {
    value = (JSON.parse(text) as { SecretString?: unknown }).SecretString;
  } catch {
    // handled below
  }
  if (typeof value !== "string" || value === "")
    throw new TransientError(`secret ${o.secretId} holds no SecretString`);
  return value;
}
