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
  numberReturned?: number;
  links: { rel: string; href: string; body?: { token?: string } }[];
}

export interface Collection {
  id: string;
  title?: string;
}

const CREDENTIALS_KEY = "hexarchive.basic";

export class Api {
  constructor(readonly base: string) {}

  get user(): string | undefined {
    const c = sessionStorage.getItem(CREDENTIALS_KEY);
    return c ? atob(c).split(":")[0] : undefined;
  }

  /** Checks the credentials against the API before keeping them for this tab. */
  async signIn(user: string, password: string): Promise<boolean> {
    const basic = btoa(`${user}:${password}`);
    const res = await fetch(`${this.base}/conformance`, { headers: { authorization: `Basic ${basic}` } });
    if (!res.ok) return false;
    sessionStorage.setItem(CREDENTIALS_KEY, basic);
    return true;
  }

  signOut(): void {
    sessionStorage.removeItem(CREDENTIALS_KEY);
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>(path);
  }

  /** A JSON POST (searches whose area is too long for a URL). */
  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, { method: "POST", body: JSON.stringify(body) });
  }

  private async call<T>(path: string, init: { method?: string; body?: string } = {}): Promise<T> {
    const c = sessionStorage.getItem(CREDENTIALS_KEY);
    const res = await fetch(path.startsWith("http") ? path : `${this.base}${path}`, {
      ...init,
      headers: {
        accept: "application/json",
        ...(init.body ? { "content-type": "application/json" } : {}),
        ...(c ? { authorization: `Basic ${c}` } : {}),
      },
    });
    const body = (await res.json().catch(() => ({}))) as T & { description?: string };
    if (!res.ok) throw new Error(body.description ?? `${res.status} ${res.statusText}`);
    return body;
  }
}
