// Paging tokens signed with HMAC-SHA256: `<payload>.<mac>`, the payload being the sort position of the
// last item returned, the fingerprint of the search it belongs to (shared/search/cursor.ts) and, when
// given, the first page's numberMatched and whether it was exact (so later pages need no count). A token
// that was not issued with this deployment's key — forged, tampered, truncated, from another stack —
// is a 400 naming `token` before any of it is read, so a position never reaches the executor unchecked.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { BadRequestError } from "../errors.ts";

/** A first page's numberMatched, carried by the tokens of the pages after it. */
export interface CarriedCount {
  matched: number;
  exact: boolean;
}

export interface PagingTokens {
  seal(position: unknown[], search: string, count?: CarriedCount): Promise<string>;
  /** The position sealed for `search`; a 400 naming `token` for anything else. */
  open(token: string, search: string): Promise<unknown[]>;
  /** The position and the count sealed with it (when one was). */
  openPage(token: string, search: string): Promise<{ position: unknown[]; count?: CarriedCount }>;
}

/** Far above any position this API seals (sort values, a collection and an id of at most 1 KB each). */
export const MAX_TOKEN_CHARS = 32_768;
const MAC_CHARS = 43; // 32 bytes in base64url, unpadded

const NOT_OURS = "token: not a paging token issued by this API (tampered, truncated or from elsewhere)";

const mac = (key: Uint8Array, payload: string): Buffer => createHmac("sha256", key).update(payload).digest();

const primitive = (v: unknown) => v === null || ["string", "number", "boolean"].includes(typeof v);

/** Tokens signed with the key `key()` resolves to (asked for on first use, as the key may live in a secret store). */
/** `[matched, 1 exact | 0 estimate]` as sealed; anything else is not ours. */
function carried(m: unknown): CarriedCount | undefined {
  if (m === undefined) return undefined;
  if (!Array.isArray(m) || m.length !== 2) throw new BadRequestError(NOT_OURS);
  const [matched, exact] = m as unknown[];
  if (!Number.isSafeInteger(matched) || (matched as number) < 0 || (exact !== 0 && exact !== 1))
    throw new BadRequestError(NOT_OURS);
  return { matched: matched as number, exact: exact === 1 };
}

export function signedPagingTokens(key: () => Promise<Uint8Array>): PagingTokens {
  const tokens: PagingTokens = {
    async seal(position, search, count) {
      // undefined (a missing sort value) travels as null.
      const body = JSON.stringify({
        p: position.map((v) => v ?? null),
        s: search,
        ...(count ? { m: [count.matched, count.exact ? 1 : 0] } : {}),
      });
      const payload = Buffer.from(body).toString("base64url");
      return `${payload}.${mac(await key(), payload).toString("base64url")}`;
    },
    async open(token, search) {
      return (await tokens.openPage(token, search)).position;
    },
    async openPage(token, search) {
      if (typeof token !== "string" || token.length > MAX_TOKEN_CHARS) throw new BadRequestError(NOT_OURS);
      const dot = token.lastIndexOf(".");
      const payload = token.slice(0, dot);
      const given = token.slice(dot + 1);
      if (dot < 1 || given.length !== MAC_CHARS || !/^[\w-]+$/.test(given))
        throw new BadRequestError(NOT_OURS);
      const expected = mac(await key(), payload);
      const actual = Buffer.from(given, "base64url");
      if (actual.length !== expected.length || !timingSafeEqual(actual, expected))
        throw new BadRequestError(NOT_OURS);
      // Signed by us, hence well formed; checked all the same, so that a leaked key cannot crash a search.
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
      } catch {
        throw new BadRequestError(NOT_OURS);
      }
      const { p, s, m } = (parsed ?? {}) as Record<string, unknown>;
      if (!Array.isArray(p) || !p.every(primitive) || typeof s !== "string")
        throw new BadRequestError(NOT_OURS);
      const count = carried(m);
      if (s !== search)
        throw new BadRequestError(
          "token: this token belongs to a different search; keep the other parameters unchanged",
        );
      return count ? { position: p, count } : { position: p };
    },
  };
  return tokens;
}

/**
 * Resolves the key once and keeps it (once per cold start on Lambda); a failed load is not kept, so the
 * next request tries again.
 */
export function onceKey(load: () => Promise<Uint8Array>): () => Promise<Uint8Array> {
  let pending: Promise<Uint8Array> | undefined;
  return () => {
    pending ??= load().catch((err: unknown) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

/** A key of this process only: tokens stop working when it ends, and other instances refuse them. */
export const processKey = (): (() => Promise<Uint8Array>) => {
  const key = randomBytes(32);
  return async () => key;
};

/** For library callers and tests that page within one process (the API is given its configured key). */
export const processPagingTokens: PagingTokens = signedPagingTokens(processKey());
