// Starts the real local stack (dynalite, s3rver, the real handlers over HTTP) on free ports in a
// temporary directory, for one test file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { type LocalStack, type LocalStackOptions, startLocalStack } from "../../dev/local/stack.ts";
import { jsonLogger, silentLogger } from "../../shared/log.ts";
import { withCachedAuthFile } from "./auth-file.ts";
import { type HttpClient, httpClient } from "./http-client.ts";

export interface TestStack extends LocalStack, HttpClient {
  api: string;
  bucket: string;
  upload(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  remove(key: string): Promise<void>;
}

/**
 * The real local stack on free ports in a fresh temporary directory, with queue retries shortened for
 * tests; `upload` waits until the object's event has been ingested, `close` removes the directory.
 */
export async function startEphemeralStack(
  extra: Partial<LocalStackOptions> = {},
  prefix = "hexarchive-test-",
) {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const stack = await withCachedAuthFile(dataDir, () =>
    startLocalStack({
      dataDir,
      apiPort: 0,
      s3Port: 0,
      dynamoPort: 0,
      presignSeconds: 300,
      // HEXARCHIVE_TEST_LOG=1 prints the stack's logs (e.g. the error behind an unexpected 500).
      log: process.env["HEXARCHIVE_TEST_LOG"] ? jsonLogger : silentLogger,
      // Failed messages come back after 50 ms; no batch outlives the visibility timeout (as on AWS).
      queue: { visibilityTimeoutMs: 30_000, retryDelayMs: 50, maxReceiveCount: 3 },
      ...extra,
    }),
  );
  return {
    ...stack,
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async upload(key: string, body: Uint8Array | string, contentType?: string) {
      await stack.s3.send(
        new PutObjectCommand({
          Bucket: stack.endpoints.s3.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
        }),
      );
      await stack.settled();
    },
  };
}

export async function startTestStack(
  opts: { presignSeconds?: number } & Partial<LocalStackOptions> = {},
): Promise<TestStack> {
  const stack = await startEphemeralStack(opts);
  const api = stack.endpoints.api;
  const bucket = stack.endpoints.s3.bucket;
  return {
    ...stack,
    api,
    bucket,
    async remove(key) {
      await stack.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await stack.settled();
    },
    ...httpClient(api),
  };
}
