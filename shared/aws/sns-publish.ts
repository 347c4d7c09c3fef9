// Publishes up to ten messages to an SNS topic in one PublishBatch (Query protocol), signed here
// (signed-post.ts): @aws-sdk/client-sns is not a dependency.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { TransientError } from "../errors.ts";
import { signedPost } from "./signed-post.ts";

export interface SnsMessage {
  id: string;
  body: string;
  /** String attributes, and String.Array ones (sent as a JSON array, as SNS filter policies read them). */
  attributes: Record<string, string | string[]>;
}

export interface SnsOptions {
  topicArn: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  endpoint?: string | undefined;
  fetch?: typeof fetch;
}

/** The form of a PublishBatch request (exported for its test). */
export function publishBatchForm(topicArn: string, messages: SnsMessage[]): URLSearchParams {
  const f = new URLSearchParams({ Action: "PublishBatch", Version: "2010-03-31", TopicArn: topicArn });
  messages.forEach((m, i) => {
    const p = `PublishBatchRequestEntries.member.${i + 1}`;
    f.set(`${p}.Id`, m.id);
    f.set(`${p}.Message`, m.body);
    Object.entries(m.attributes).forEach(([name, value], j) => {
      const a = `${p}.MessageAttributes.entry.${j + 1}`;
      f.set(`${a}.Name`, name);
      f.set(`${a}.Value.DataType`, Array.isArray(value) ? "String.Array" : "String");
      f.set(`${a}.Value.StringValue`, Array.isArray(value) ? JSON.stringify(value) : value);
    });
  });
  return f;
}

/** Sends one batch (at most 10 messages); any refused entry makes it a TransientError (retried whole). */
export async function publishBatch(o: SnsOptions, messages: SnsMessage[]): Promise<void> {
  if (messages.length === 0) return;
  if (messages.length > 10) throw new Error("PublishBatch takes at most 10 messages");
  const url = new URL(o.endpoint ?? `https://sns.${o.region}.amazonaws.com/`);
  const body = publishBatchForm(o.topicArn, messages).toString();
  const res = await signedPost({
    service: "sns",
    region: o.region,
    credentials: o.credentials,
    url,
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
    body,
    fetch: o.fetch,
  });
  const text = await res.text();
  if (res.status !== 200 || /<Failed>\s*<member>/.test(text))
    throw new TransientError(`SNS PublishBatch to ${o.topicArn} failed (${res.status})`, {
      cause: new Error(text.slice(0, 500)),
    });
}
