// What the DHuS facade needs, and how it is drawn from the API's own dependencies: the same users
// and access rules (one Access, shared/auth/authorize.ts), the same download path (entitlement, object
// confinement, concurrency leases, statistics, member cache).
import { type AccessPolicy, OPEN_ACCESS } from "../auth/access-policy.ts";
import type { Authenticator } from "../auth/authenticator.ts";
import { Access } from "../auth/authorize.ts";
import { type Principal, setPrincipal } from "../auth/principal.ts";
import { type ObjectClaim, productsBuckets, requireOwnedObject } from "../download/confine.ts";
import { type DownloadDeps, serveDownload } from "../download/serve.ts";
import type { DownloadTarget } from "../download/targets.ts";
import { TransientError, UnauthorizedError } from "../errors.ts";
import type { HttpRequest, HttpResponse } from "../http/types.ts";
import type { Logger } from "../log.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import type { Presigner } from "../storage/presigner.ts";
import type { TombstoneReader } from "../storage/tombstones.ts";

export const DHUS_PREFIX = "/dhus";

/** The base URL of the hub as clients see it (what sentinelsat calls `api_url`, without the slash). */
export const hubBase = (req: HttpRequest) => `${req.baseUrl}${DHUS_PREFIX}`;

/** Reads objects of the products bucket by byte range (zip directories, quicklooks). */
export interface ObjectReader {
  getRange(bucket: string, key: string, start: number, end: number): Promise<Uint8Array>;
  getObject(bucket: string, key: string): Promise<Uint8Array>;
}

export interface DhusDeps {
  catalogue: Catalogue;
  objects: ObjectReader;
  log: Logger;
  /** The caller; throws UnauthorizedError for missing or wrong credentials. */
  authenticate(req: HttpRequest): Promise<Principal>;
  /** Whether the caller may see a collection's products (search access). */
  canSee(principal: Principal, collection: string): boolean;
  /** Throws 401/403 unless the caller may download from the collection. */
  requireDownload(principal: Principal, collection: string): void;
  /** Throws 403 unless the object is the item's own (shared/download/confine.ts); before any read. */
  requireOwned(claim: ObjectClaim): Promise<void>;
  /** Hands out a download: entitlement, concurrency limit (403 + cause-message), statistics. */
  download(req: HttpRequest, target: DownloadTarget): Promise<HttpResponse>;
  /** Deleted products (the `DeletedProducts` view); absent: not listed. */
  tombstones?: TombstoneReader | undefined;
}

/** What the hub is drawn from: the download path's dependencies, the catalogue, the log and the users. */
export interface DhusSources extends DownloadDeps {
  catalogue: Catalogue;
  log: Logger;
  auth?: { authenticator: Authenticator; policy: AccessPolicy } | undefined;
  lifecycle?: { tombstones: TombstoneReader } | undefined;
}

export function dhusDepsFrom(api: DhusSources): DhusDeps {
  const auth = api.auth;
  const policy = auth?.policy ?? OPEN_ACCESS;
  const downloads = api.downloads;
  return {
    catalogue: api.catalogue,
    objects: downloads
      ? {
          getRange: (bucket, key, start, end) => downloads.objects(bucket).getRange(key, start, end),
          getObject: (bucket, key) => downloads.objects(bucket).getObject(key),
        }
      : presignedReader(api.presigner),
    log: api.log,
    async authenticate(req) {
      // Without an authenticator the API as a whole is open: so is the hub.
      if (!auth) return { user: "anonymous", groups: [], via: "basic" };
      // DHuS clients always send credentials; DHuS refused requests without them.
      const p = await auth.authenticator.authenticate(req.headers["authorization"]);
      if (!p) throw new UnauthorizedError("sign in with your user name and password (HTTP Basic)");
      setPrincipal(req, p);
      return p;
    },
    canSee: (p, collection) => new Access(policy, p).canSearch(collection),
    requireDownload: (p, collection) => new Access(policy, p).requireDownload(collection),
    requireOwned: (claim) => requireOwnedObject(api.owners, claim, { buckets: productsBuckets(api) }),
    download: (req, target) => serveDownload(api, req, target),
    tombstones: api.lifecycle?.tombstones,
  };
}

/** Ranged reads through short-lived presigned URLs, when no object store is composed in. */
export function presignedReader(presigner: Presigner): ObjectReader {
  const get = async (bucket: string, key: string, range?: [number, number]) => {
    const url = await presigner.presignGet(bucket, key, { expiresIn: 60 });
    const res = await fetch(url, range ? { headers: { range: `bytes=${range[0]}-${range[1] - 1}` } } : {});
    if (res.status !== 200 && res.status !== 206)
      throw new TransientError(`reading s3://${bucket}/${key} failed with HTTP ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return range && res.status === 200 ? bytes.subarray(range[0], range[1]) : bytes;
  };
  return {
    getRange: (bucket, key, start, end) =>
      end <= start ? Promise.resolve(new Uint8Array()) : get(bucket, key, [start, end]),
    getObject: (bucket, key) => get(bucket, key),
  };
}
