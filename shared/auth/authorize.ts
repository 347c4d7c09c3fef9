// The one authorization point. Every route asks an Access what the caller may see or download, and
// always with the canonical collection ids the store itself will use (parsed, trimmed, decoded): the
// value that is authorized is the value that is read, so no spelling of a name can pass one and reach
// the other. Domain calls that read collections (search, aggregate, queryables, collections, items,
// downloads, DHuS) take an Access as a required argument.

import { UnauthorizedError } from "../errors.ts";
import type { HttpRequest } from "../http/types.ts";
import { type AccessPolicy, allowed, meetsLevel, OPEN_ACCESS, requireAccess } from "./access-policy.ts";
import {
  type AssetBinding,
  type FileBinding,
  type Principal,
  principalOf,
  signedClaimOf,
} from "./principal.ts";

export class Access {
  constructor(
    readonly policy: AccessPolicy,
    readonly principal: Principal | undefined,
    /** Signed in through a signed read link: it searches, it does not download (asset links do). */
    readonly readOnly = false,
  ) {}

  /**
   * May the caller search every collection, those there are and any made later: the policy's default
   * search level and every collection's own rule. What a standing search (a subscription) may leave open.
   */
  searchesEverything(): boolean {
    return (
      meetsLevel(this.policy.search, this.principal) &&
      Object.keys(this.policy.collections).every((c) => this.canSearch(c))
    );
  }

  /** May the caller download from the collection (without throwing): whether to sign its asset links. */
  canDownload(collection: string): boolean {
    return allowed(this.policy, this.principal, collection, "download");
  }

  canSearch(collection: string): boolean {
    return allowed(this.policy, this.principal, collection, "search");
  }

  /** 401 (sign in) or 403 (signed in, not entitled) unless the caller may see the collection. */
  requireSearch(collection: string): void {
    requireAccess(this.policy, this.principal, collection, "search");
  }

  /** Downloads need search access too (a restricted collection stays restricted for its files). */
  requireDownload(collection: string): void {
    if (this.readOnly)
      throw new UnauthorizedError(
        "a signed search link does not download: use the signed asset links its results carry",
      );
    requireAccess(this.policy, this.principal, collection, "download");
  }

  /** The records whose collection the caller may see. */
  visible<T>(records: T[], idOf: (r: T) => string): T[] {
    return records.filter((r) => this.canSearch(idOf(r)));
  }

  /**
   * The collections a search runs over: every named one must be visible (401/403 otherwise); with
   * none named, the visible ones. An anonymous caller who can see nothing while collections exist is
   * told to sign in.
   */
  scope(named: string[] | undefined, all: string[]): string[] {
    if (named) {
      for (const c of named) this.requireSearch(c);
      return named;
    }
    const ids = all.filter((c) => this.canSearch(c));
    if (ids.length === 0 && all.length > 0 && !this.principal)
      throw new UnauthorizedError("sign in to search: no collection is public");
    return ids;
  }
}

/** Everything visible, nobody signed in: tools and tests that run the domain without users. */
export const UNRESTRICTED = new Access(OPEN_ACCESS, undefined);

/**
 * The caller's Access: the deployment's policy (open when it has no users) and who signed in. A request
 * without credentials but with a verified signed link acts as the link's user only where the link
 * applies: an asset link on the asset route whose canonical ids (`asset`) are exactly those it was
 * signed for, a file link likewise on the file route (`file`), a read link on GET/HEAD routes that do
 * not download. Anywhere else it is anonymous.
 */
export function accessOf(
  policy: AccessPolicy | undefined,
  req: HttpRequest,
  asset?: AssetBinding,
  file?: FileBinding,
): Access {
  const p = policy ?? OPEN_ACCESS;
  const signedIn = principalOf(req);
  if (signedIn) return new Access(p, signedIn);
  const claim = signedClaimOf(req);
  if (claim?.kind === "asset" && asset && sameAsset(claim.binding, asset))
    return new Access(p, claim.principal);
  if (claim?.kind === "file" && file && sameFile(claim.binding, file)) return new Access(p, claim.principal);
  if (claim?.kind === "read" && (req.method === "GET" || req.method === "HEAD"))
    return new Access(p, claim.principal, true);
  return new Access(p, undefined);
}

const sameAsset = (a: AssetBinding, b: AssetBinding) =>
  a.collection === b.collection && a.item === b.item && a.asset === b.asset;

const sameFile = (a: FileBinding, b: FileBinding) =>
  a.collection === b.collection && a.item === b.item && a.path === b.path;
