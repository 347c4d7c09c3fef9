// Calls to the page's own STAC API, with the signed-in user's credentials when there are some.
import type { Feature, Geometry } from "geojson";

export interface StacAsset {
  href: string;
  title?: string;
  type?: string;
  roles?: string[];
  "file:size"?: number;
  "file:checksum"?: string;
  [k: string]: unknown;
}

export interface StacItem extends Feature<Geometry | null> {
  id: string;
  collection?: string;
  properties: Record<string, unknown> & { datetime?: string | null };
  assets: Record<string, StacAsset>;
  links: { rel: string; href: string; type?: string }[];
}

export interface ItemCollection {
  features: StacItem[];
  numberMatched?: number;
  /** "estimate" when numberMatched is one (shared/api/routes/items.ts MATCHED_ESTIMATE_FIELD). */
  "hexarchive:numberMatched"?: string;
  numberReturned?: number;
  links: { rel: string; href: string; body?: { token?: string } }[];
}

export interface Collection {
  id: string;
  title?: string;
}

const CREDENTIALS_KEY = "hexarchive.basic";
const TOKEN_KEY = "hexarchive.bearer";

/** A JWT's claims, unverified: the page only reads who it names and when it expires; the API verifies. */
function claimsOf(token: string): Record<string, unknown> {
  try {
    const part = token.split(".")[1] ?? "";
    return JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export class Api {
  constructor(readonly base: string) {}

  /** The OIDC token this tab signed in with, while it is valid. */
  private get token(): string | undefined {
    const t = sessionStorage.getItem(TOKEN_KEY);
    if (!t) return undefined;
    const exp = Number(claimsOf(t)["exp"]);
    if (Number.isFinite(exp) && exp * 1000 <= Date.now()) {
      sessionStorage.removeItem(TOKEN_KEY);
      return undefined;
    }
    return t;
  }

  get user(): string | undefined {
    const t = this.token;
    if (t) {
      const c = claimsOf(t);
      return String(c["username"] ?? c["cognito:username"] ?? c["preferred_username"] ?? c["sub"] ?? "");
    }
    const c = sessionStorage.getItem(CREDENTIALS_KEY);
    return c ? atob(c).split(":")[0] : undefined;
  }

  /** Checks the credentials against the API before keeping them for this tab. */
  async signIn(user: string, password: string): Promise<boolean> {
    const basic = btoa(`${user}:${password}`);
    const res = await fetch(`${this.base}/conformance`, { headers: { authorization: `Basic ${basic}` } });
    if (!res.ok) return false;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.setItem(CREDENTIALS_KEY, basic);
    return true;
  }

  /** Keeps an access token from the OIDC issuer (./oidc.ts) for this tab. */
  useToken(token: string): void {
    sessionStorage.removeItem(CREDENTIALS_KEY);
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  signOut(): void {
    sessionStorage.removeItem(CREDENTIALS_KEY);
    sessionStorage.removeItem(TOKEN_KEY);
  }

  private authorization(): Record<string, string> {
    const t = this.token;
    if (t) return { authorization: `Bearer ${t}` };
    const c = sessionStorage.getItem(CREDENTIALS_KEY);
    return c ? { authorization: `Basic ${c}` } : {};
  }

  private fetch(
    path: string,
    init: { method?: string; body?: string; accept?: string } = {},
  ): Promise<Response> {
    const { accept = "application/json", ...rest } = init;
    return fetch(path.startsWith("http") ? path : `${this.base}${path}`, {
      ...rest,
      headers: {
        accept,
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...this.authorization(),
      },
    });
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>(path);
  }

  /** A JSON POST (searches whose area is too long for a URL). */
  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, { method: "POST", body: JSON.stringify(body) });
  }

  private async call<T>(path: string, init: { method?: string; body?: string } = {}): Promise<T> {
    const res = await this.fetch(path, init);
    const body = (await res.json().catch(() => ({}))) as T & { description?: string };
    if (!res.ok) throw new Error(body.description ?? `${res.status} ${res.statusText}`);
    return body;
  }

  /**
   * A JSON POST whose answer is a file (a download list), not JSON: its status and text, or the API's
   * error description, for callers that handle a refusal themselves. Status 0: no answer at all.
   */
  async postForText(
    path: string,
    body: unknown,
    accept: string,
  ): Promise<{ status: number; text: string; description: string }> {
    try {
      const res = await this.fetch(path, { method: "POST", body: JSON.stringify(body), accept });
      const text = await res.text();
      if (res.ok) return { status: res.status, text, description: "" };
      let description = `${res.status} ${res.statusText}`;
      try {
        description = (JSON.parse(text) as { description?: string }).description ?? description;
      } catch {
        // Not the API's JSON error (a proxy's page): the status says enough.
      }
      return { status: res.status, text: "", description };
    } catch (err) {
      return { status: 0, text: "", description: (err as Error).message };
    }
  }

  /** The status and, when it is a success, the body: for callers that explain a 401 or 404 themselves. */
  async getWithStatus<T>(path: string): Promise<{ status: number; body: T | undefined }> {
    try {
      const res = await this.fetch(path);
      return { status: res.status, body: res.ok ? ((await res.json()) as T) : undefined };
    } catch {
      return { status: 0, body: undefined };
    }
  }
}
