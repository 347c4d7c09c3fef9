// SDK clients from configuration. Emulators are reached through explicit endpoints (standard
// AWS_ENDPOINT_URL_* variables or arguments), never by sniffing the environment's name.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { withLeanReads } from "./lean-reads.ts";

export interface ClientOptions {
  region: string;
  s3ForcePathStyle?: boolean;
  dynamoEndpoint?: string;
  s3Endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Reads through the SDK's own command stack, not lean-reads.ts (HEXARCHIVE_SDK_READS=true). */
  sdkReads?: boolean;
}

/**
 * Takes the SDK's logger middleware off a client's stack. Its logger is a no-op here, but the
 * middleware still copies every call's input and output through the schema's sensitive-data filter
 * before handing them to it (5 % of the API process's CPU on a search, measured: docs/measurements.md,
 * 2026-12-07 evening). Our own log lines are not affected.
 */
export function withoutSdkCallLogging<T extends { middlewareStack: { remove(name: string): boolean } }>(
  client: T,
): T {
  client.middlewareStack.remove("loggerMiddleware");
  return client;
}

export function makeDocumentClient(o: ClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: o.region,
    ...(o.dynamoEndpoint ? { endpoint: o.dynamoEndpoint } : {}),
    ...(o.credentials ? { credentials: o.credentials } : {}),
  });
  const doc = DynamoDBDocumentClient.from(withoutSdkCallLogging(client), {
    marshallOptions: { removeUndefinedValues: true },
  });
  // Reads (a search's many Query and BatchGetItem requests) skip the SDK's per-command middleware,
  // unless the deployment switched that off.
  return o.sdkReads ? doc : withLeanReads(doc);
}

export function makeS3Client(o: ClientOptions): S3Client {
  return withoutSdkCallLogging(
    new S3Client({
      region: o.region,
      forcePathStyle: o.s3ForcePathStyle ?? false,
      ...(o.s3Endpoint ? { endpoint: o.s3Endpoint } : {}),
      ...(o.credentials ? { credentials: o.credentials } : {}),
    }),
  );
}
