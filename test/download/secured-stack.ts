import type { LocalStack } from "../../dev/local/stack.ts";
import { type AccessPolicy, DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
import type { DownloadSettings } from "../../shared/download/services.ts";
import { startEphemeralStack } from "../support/stack.ts";

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
  const stack = await startEphemeralStack(
    {
      ...(o.presignSeconds ? { presignSeconds: o.presignSeconds } : {}),
      access: o.access ?? DEFAULT_ACCESS,
      downloads: o.downloads,
    },
    "hexarchive-secured-",
  );
  const api = stack.endpoints.api;
  return {
    ...stack,
    api,
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
  };
}
