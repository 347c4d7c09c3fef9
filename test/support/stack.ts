// Starts the real local stack (dynalite, s3rver, the real handlers over HTTP) on free ports in a
// temporary directory, for one test file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { type LocalStack, startLocalStack } from "../../cdk/local/stack.ts";
import { silentLogger } from "../../shared/log.ts";

export interface TestStack extends LocalStack {
  api: string;
  bucket: string;
  upload(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  remove(key: string): Promise<void>;
  get(path: string, init?: RequestInit): Promise<{ status: number; body: any; headers: Headers }>;
  post(path: string, body: unknown): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startTestStack(opts: { presignSeconds?: number } = {}): Promise<TestStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-test-"));
  const stack = await startLocalStack({
    dataDir,
    apiPort: 0,
    s3Port: 0,
    dynamoPort: 0,
    presignSeconds: opts.presignSeconds ?? 300,
    log: silentLogger,
    queue: { visibilityTimeoutMs: 50, maxReceiveCount: 3 },
  });
  const api = stack.endpoints.api;
  const bucket = stack.endpoints.s3.bucket;
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(path.startsWith("http") ? path : `${api}${path}`, {
      redirect: "manual",
      ...init,
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, body, headers: res.headers };
  };
  return {
    ...stack,
    api,
    bucket,
    async upload(key, body, contentType) {
      await stack.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
      await stack.settled();
    },
    async remove(key) {
      await stack.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await stack.settled();
    },
    get: call,
    post: (path, body) =>
      call(path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
