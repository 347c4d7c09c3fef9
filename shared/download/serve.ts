// Serves a download target: checks entitlement (on the item's collection, and that the target object is
// the item's own: ./confine.ts), takes a concurrency lease, answers, records statistics.
//
// HEAD costs what GET costs: it answers the same 302 with a working URL, so it takes the same lease and
// is recorded the same way (and may start the same extraction). HTTP wants HEAD to carry GET's headers,
// and clients use it to learn a file's size through the redirect (GDAL's /vsicurl/, curl -I -L); the
// lease is per file, so a HEAD followed by a GET of the same file holds one slot and is recorded once.
//
// Whole products: 302 to a short-lived presigned GET of the object. S3 honours Range on it, so resumed
// and partial downloads work, and the bytes never pass through the function.
//
// Files inside a zip/tar product: a presigned URL cannot select a byte range (S3 ignores a Range baked
// into the query), and even a stored member would need its local-header offset resolved first; deflated
// members must be inflated. Streaming through the function stops at Lambda's 6 MB response limit. So a
// member is extracted server-side once, by ranged reads → streaming inflate → multipart upload into the
// download cache (a bucket with lifecycle expiry), then served like a product: 302 to a presigned URL of
// the cached copy (Range works there too). Memory stays flat for members of any size; the cost is one
// extraction per member and product version (the cache key carries the product's ETag). Members up to
// `inlineMaxBytes` skip the cache and are answered directly. Tar members are the same, without inflate.
// Members above `syncExtractMaxBytes` cannot be extracted within API Gateway's 30 s: the request answers
// 202 with Retry-After and the extraction runs in the background (shared/download/extraction.ts).
// Previews a client cannot show (JPEG 2000; anything but JPEG for DHuS) go to ./serve-quicklook.ts instead.
import { createHash } from "node:crypto";
import type { AccessPolicy } from "../auth/access-policy.ts";
import { type Access, accessOf } from "../auth/authorize.ts";
import { CatalogueError, NotFoundError } from "../errors.ts";
import { type HttpRequest, type HttpResponse, redirect } from "../http/types.ts";
import { needsQuicklook } from "../quicklook/preview-types.ts";
import type { ObjectOwners } from "../storage/object-ledger.ts";
import type { Presigner } from "../storage/presigner.ts";
import { acceptExtraction } from "./accept-extraction.ts";
import { productsBuckets, requireOwnedObject } from "./confine.ts";
import { collect, memberChunks } from "./member-stream.ts";
import { serveQuicklook } from "./serve-quicklook.ts";
import type { DownloadServices } from "./services.ts";
import type { DownloadTarget } from "./targets.ts";

/** What serving a download needs; the API's and the DHuS hub's dependencies both provide it. */
export interface DownloadDeps {
  /** Which item each object produced (./confine.ts). */
  owners: ObjectOwners;
  presigner: Presigner;
  settings: { presignSeconds: number; productsBucket?: string | undefined };
  /** The access rules; without them everything is public. */
  auth?: { policy: AccessPolicy } | undefined;
  /** Member extraction, leases and statistics; without them only whole objects download. */
  downloads?: DownloadServices | undefined;
}

/** 429 with Retry-After on the STAC routes; the DHuS hub answers it as DHuS did, 403 + cause-message. */
export class DownloadLimitError extends CatalogueError {
  constructor(description: string, retryAfterSeconds: number) {
    super(429, "TooManyRequests", description, { retryable: true, retryAfterSeconds });
  }
}

const sha = (s: string) => createHash("sha256").update(s).digest("hex");

export async function serveDownload(
  deps: DownloadDeps,
  req: HttpRequest,
  t: DownloadTarget,
  /** The route's Access when it already decided who calls (a signed asset link); else the request's. */
  access: Access = accessOf(deps.auth?.policy, req),
): Promise<HttpResponse> {
  if (t.preview) access.requireSearch(t.collection);
  else access.requireDownload(t.collection);
  await requireOwnedObject(deps.owners, t, { buckets: productsBuckets(deps) });
  const principal = access.principal;
  const d = deps.downloads;
  const counted = !t.preview;
  const expiresIn = deps.settings.presignSeconds;
  let renewed = false;
  if (counted && d && principal) {
    const now = d.now?.() ?? Date.now();
    const lease = await d.leases.acquire(
      principal.user,
      // One slot per product, as DHuS counted flows: the files of one product fetched one after
      // another (a node filter, a resumed transfer, the client's 2-byte probe) hold a single slot.
      sha(`${t.collection}\0${t.item}`).slice(0, 32),
      sha(`${t.collection}\0${t.item}\0${t.file}`).slice(0, 32),
      {
        // Held while the transfer must surely still run: its size at the fastest expected rate.
        slotUntilMs:
          now + Math.min(expiresIn * 1000, ((t.size ?? 0) * 1000) / d.settings.leaseBytesPerSecond),
        fileUntilMs: now + expiresIn * 1000,
      },
      d.settings.concurrentLimit,
      now,
    );
    if (!lease.ok) {
      const wait = Math.max(1, Math.ceil((lease.retryAfterMs ?? 1000) / 1000));
      throw new DownloadLimitError(
        // The phrase "concurrent flows" is what DHuS clients (sentinelsat) recognise as "online, but limited".
        `Maximum number of ${d.settings.concurrentLimit} concurrent flows achieved by the user "${principal.user}": retry in ${wait} s, when a transfer has ended`,
        wait,
      );
    }
    renewed = lease.renewed;
  }
  const res = await answer(deps, t, expiresIn);
  if (counted && d && !renewed) {
    await d.stats.recordDownload({
      time: new Date(d.now?.() ?? Date.now()).toISOString(),
      collection: t.collection,
      item: t.item,
      file: t.file,
      user: principal?.user ?? "anonymous",
      bytes: t.size ?? 0,
    });
  }
  return res;
}

async function answer(deps: DownloadDeps, t: DownloadTarget, expiresIn: number): Promise<HttpResponse> {
  if (needsQuicklook(t)) return serveQuicklook(deps, t, expiresIn);
  const disposition = t.preview ? ("inline" as const) : ("attachment" as const);
  const presignOpts = { expiresIn, filename: t.filename, disposition, contentType: t.contentType };
  if (!t.member) {
    const opts = t.preview ? presignOpts : { expiresIn, filename: t.filename };
    return redirect(await deps.presigner.presignGet(t.bucket, t.key, opts));
  }
  const d = deps.downloads;
  if (!d) {
    throw new NotFoundError(
      `'${t.file}' is a file inside the product and cannot be downloaded alone here; download the asset 'product'`,
    );
  }
  const store = d.objects(t.bucket);
  if (t.member.size <= d.settings.inlineMaxBytes) {
    const bytes = await collect(memberChunks(store, t.key, t.member));
    return {
      status: 200,
      headers: {
        "content-type": t.contentType,
        "content-disposition": `${disposition}; filename="${t.filename.replace(/["\\\r\n]/g, "_")}"`,
        "cache-control": "private, max-age=300",
      },
      binary: bytes,
    };
  }
  const info = await store.head(t.key);
  if (!info) throw new NotFoundError(`the product object of '${t.item}' is missing from storage`);
  const etag = info.etag ?? String(info.size);
  const cacheKey = `members/${sha(`${t.bucket}/${t.key}#${etag}`).slice(0, 40)}/${t.member.path}`;
  if (!(await d.cache.has(cacheKey))) {
    // API Gateway waits 30 s at most: large members are extracted in the background (202, then poll).
    if (d.extraction && t.member.size > d.settings.syncExtractMaxBytes) {
      const job = {
        bucket: t.bucket,
        key: t.key,
        etag,
        member: t.member,
        cacheKey,
        contentType: t.contentType,
      };
      return acceptExtraction(d.extraction, job, t.filename, d.now?.() ?? Date.now());
    }
    await d.cache.write(cacheKey, memberChunks(store, t.key, t.member), t.contentType);
  }
  return redirect(await deps.presigner.presignGet(d.cache.bucket, cacheKey, presignOpts));
}
