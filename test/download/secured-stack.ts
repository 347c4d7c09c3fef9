// A local stack with the production access defaults (search public, downloads signed in) on free ports.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { type LocalStack, startLocalStack } from "../../cdk/local/stack.ts";
import { type AccessPolicy, DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
import type { DownloadSettings } from "../../shared/download/services.ts";
import { silentLogger } from "../../shared/log.ts";

export interface SecuredStack extends LocalStack {
  api: string;
  upload(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
  /** GET without following redirects; `auth` is a full Authorization header value. */
  get(path: string, auth?: string, headers?: Record<string, string>): Promise<Response>;
  token(user: string, password: string): Promise<string>;
  basic(user: string, password: string): string;
}

export async function startSecuredStack(
  o: { access?: AccessPolicy; downloads?: Partial<DownloadSettings>; presignSeconds?: number } = {},
): Promise<SecuredStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-secured-"));
  const stack = await startLocalStack({
    dataDir,
    apiPort: 0,
    s3Port: 0,
    dynamoPort: 0,
    presignSeconds: o.presignSeconds ?? 300,
    log: silentLogger,
    queue: { visibilityTimeoutMs: 50, maxReceiveCount: 3 },
    access: o.access ?? DEFAULT_ACCESS,
    downloads: o.downloads,
  });
  const api = stack.endpoints.api;
  return {
    ...stack,
    api,
    async upload(key, body, contentType) {
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
    get: (path, auth, headers = {}) =>
      fetch(path.startsWith("http") ? path : `${api}${path}`, {
        redirect: "manual",
        headers: { ...headers, ...(auth ? { authorization: auth } : {}) },
      }),
    async token(user, password) {
      const res = await fetch(stack.endpoints.auth.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", username: user, password }),
      });
      if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    basic: (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
    async close() {
      await stack.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
