// The hostile-input suite's shared vocabulary: what the seeded stack holds (World), the request shape,
// and the seeded random source every generator draws from.
import { rng as seeded } from "../support/random-items.ts";

export type Rand = () => number;

/** Everything the grammar draws real names from: what the suite seeded into the stack. */
export interface World {
  collections: string[];
  /** [collection, item id, asset keys, file paths inside the product] */
  items: { collection: string; id: string; assets: string[]; files: string[] }[];
  dhusUuids: string[];
  /** Paging tokens the API issued, for tampering. */
  tokens: string[];
  /**
   * Authorization header values of each principal: [bearer JWT, HTTP Basic]. Basic costs a scrypt
   * hash on the local stack (~50 ms of CPU), so one request in fifty sends Basic, the rest the bearer token.
   */
  auth: Record<Who, [string, string]>;
  /** Collection the write routes mostly target (emptied and refilled by the run itself). */
  scratch: string;
}

export type Who = "user" | "operator" | "partner";

export interface HostileRequest {
  method: string;
  /** Raw path segments, already percent-encoded (mutations may break the encoding). */
  segments: string[];
  /** Raw key=value pairs, already encoded. */
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
  /** Which template produced it (for the report), e.g. "POST /search". */
  route: string;
}

export const pathOf = (r: HostileRequest): string => {
  const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
  return `/${r.segments.join("/")}${qs ? `?${qs}` : ""}`;
};

/** The tests' one seeded generator (mulberry32), so that a failing run can be repeated. */
export const rng = (seed: number): Rand => seeded(seed);

export const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
export const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
export const chance = (r: Rand, p: number) => r() < p;
export const enc = encodeURIComponent;
export const as = (r: Rand, w: World, who: Who) => w.auth[who][chance(r, 0.02) ? 1 : 0];
export const num = (r: Rand, lo: number, hi: number, digits = 3) =>
  Number((lo + r() * (hi - lo)).toFixed(digits));
