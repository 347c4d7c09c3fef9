// Who may search and download what (setting HEXARCHIVE_ACCESS, JSON). Levels: "public",
// "authenticated", or "group:<name>". Defaults: search public, downloads for signed-in users; a
// collection may override either. Members of `operators` pass every check. `write` (Transactions:
// creating, replacing and deleting items and collections) is `group:operators` unless set.
//   {"download": "authenticated",
//    "collections": {"partner-data": {"search": "group:partners", "download": "group:partners"}}}
import { z } from "zod";
import { ForbiddenError, UnauthorizedError } from "../errors.ts";
import { isOperator, type Principal } from "./principal.ts";

const Level = z.union([z.enum(["public", "authenticated"]), z.string().regex(/^group:[\w.-]+$/)]);
const Rule = z.object({ search: Level.optional(), download: Level.optional() }).strict();
const Policy = z
  .object({
    search: Level.default("public"),
    download: Level.default("authenticated"),
    write: Level.optional(),
    collections: z.record(z.string(), Rule).default({}),
  })
  .strict();

export type AccessLevel = z.infer<typeof Level>;
export type AccessPolicy = z.infer<typeof Policy>;
export type Action = "search" | "download";

export const DEFAULT_ACCESS: AccessPolicy = { search: "public", download: "authenticated", collections: {} };
/** Everything open: what the local stack runs with when its embedder (a test) chooses no policy. */
export const OPEN_ACCESS: AccessPolicy = { search: "public", download: "public", collections: {} };

export function parseAccessPolicy(json: string | undefined): AccessPolicy {
  if (json === undefined || json.trim() === "") return DEFAULT_ACCESS;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`HEXARCHIVE_ACCESS is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = Policy.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`HEXARCHIVE_ACCESS is invalid: ${why}`);
  }
  return parsed.data;
}

/** The level that applies; a collection's search restriction also restricts its downloads. */
export function levelFor(policy: AccessPolicy, collection: string, action: Action): AccessLevel[] {
  const rule = policy.collections[collection] ?? {};
  const search = rule.search ?? policy.search;
  return action === "search" ? [search] : [search, rule.download ?? policy.download];
}

/** Whether the principal (none: anonymous) meets the level. */
export function meetsLevel(level: AccessLevel, p: Principal | undefined): boolean {
  if (level === "public") return true;
  if (!p) return false;
  if (level === "authenticated" || isOperator(p)) return true;
  return p.groups.includes(level.slice("group:".length));
}

export function allowed(policy: AccessPolicy, p: Principal | undefined, collection: string, action: Action) {
  return levelFor(policy, collection, action).every((l) => meetsLevel(l, p));
}

/** Throws 401 (sign in) or 403 (signed in, not entitled). */
export function requireAccess(
  policy: AccessPolicy,
  p: Principal | undefined,
  collection: string,
  action: Action,
) {
  if (allowed(policy, p, collection, action)) return;
  const verb = action === "search" ? "see" : "download from";
  if (!p) throw new UnauthorizedError(`sign in to ${verb} collection '${collection}'`);
  throw new ForbiddenError(`user '${p.user}' may not ${verb} collection '${collection}'`);
}
