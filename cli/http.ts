// The CLI's HTTP client: credentials (Basic) for the API's own origin only, retries with exponential
// backoff and jitter on network errors, 429 and 5xx, honouring Retry-After; redirects followed by hand
// so that credentials never go on to a presigned S3 URL.
import type { CliConfig } from "./config.ts";
import { ApiError, CliError } from "./errors.ts";

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Follow redirects (without credentials past the API's origin). Default true. */
  follow?: boolean;
  /** Also wait and retry a 202 with Retry-After (a file being prepared). */
  retryAccepted?: boolean;
  /** Told about each wait (for progress output). */
  onRetry?: (why: string, waitMs: number) => void;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const MAX_WAIT_MS = 60_000;

/** Retry-After as ms: seconds or an HTTP date. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Api {
  constructor(readonly config: CliConfig) {}

  private authHeader(url: string): Record<string, string> {
    const c = this.config;
    if (!c.user || c.password === undefined) return {};
    if (new URL(url).origin !== new URL(c.url).origin) return {};
    return { authorization: `Basic ${Buffer.from(`${c.user}:${c.password}`).toString("base64")}` };
  }

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.config.url}${path.startsWith("/") ? "" : "/"}${path}`;
  }

  backoff(attempt: number): number {
    const base = this.config.backoffMs * 2 ** attempt;
    return Math.min(MAX_WAIT_MS, base / 2 + Math.random() * (base / 2));
  }

  /** One request with retries; a non-retryable error status is returned as it is, for the caller. */
  async fetch(path: string, o: RequestOptions = {}): Promise<Response> {
    let url = this.url(path);
    const body = o.body === undefined ? undefined : JSON.stringify(o.body);
    let attempt = 0;
    for (let hops = 0; ; ) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: o.method ?? (body ? "POST" : "GET"),
          redirect: "manual",
          headers: {
            ...(body ? { "content-type": "application/json" } : {}),
            ...this.authHeader(url),
            ...o.headers,
          },
          ...(body ? { body } : {}),
        });
      } catch (e) {
        if (attempt >= this.config.retries)
          throw new CliError(
            `cannot reach ${new URL(url).origin}: ${(e as Error).cause ?? (e as Error).message}`,
          );
        const wait = this.backoff(attempt++);
        o.onRetry?.(`network error (${(e as Error).message})`, wait);
        await sleep(wait);
        continue;
      }
      const retryable = RETRY_STATUS.has(res.status) || (o.retryAccepted && res.status === 202);
      if (retryable && attempt < this.config.retries) {
        const wait = Math.min(
          MAX_WAIT_MS * 10,
          retryAfterMs(res.headers.get("retry-after")) ?? this.backoff(attempt),
        );
        attempt++;
        await res.body?.cancel();
        o.onRetry?.(`HTTP ${res.status}`, wait);
        await sleep(wait);
        continue;
      }
      if (o.follow !== false && res.status >= 300 && res.status < 400 && res.headers.has("location")) {
        if (++hops > 5) throw new CliError(`too many redirects from ${path}`);
        await res.body?.cancel();
        url = new URL(res.headers.get("location")!, url).toString();
        continue;
      }
      return res;
    }
  }

  /** Throws an ApiError for any non-2xx answer. */
  async ok(path: string, o: RequestOptions = {}): Promise<Response> {
    const res = await this.fetch(path, o);
    if (res.ok) return res;
    throw await apiError(res);
  }

  async json<T>(path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.ok(path, { ...o, headers: { accept: "application/json", ...o.headers } });
    return (await res.json()) as T;
  }
}

export async function apiError(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  try {
    const b = JSON.parse(text) as { code?: string; description?: string };
    if (b.description) return new ApiError(res.status, b.code ?? "Error", b.description);
  } catch {}
  return new ApiError(res.status, res.statusText || "Error", text.slice(0, 300) || "(no body)");
}
