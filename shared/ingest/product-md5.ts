// The MD5 of a product S3 gave none for (a multipart upload), from one streamed read of the object after
// the product is indexed, written to the item only while the item still describes that same object.
import { createHash } from "node:crypto";
import type { Logger } from "../log.ts";
import { assetMd5, s3Href, withMd5 } from "../products/assets.ts";
import type { Asset, StacItem } from "../stac/types.ts";
import type { StoredItem } from "../storage/catalogue.ts";
import type { ObjectInfo, StreamingObjectStore } from "../storage/object-store.ts";
import type { Md5Job } from "./md5-jobs.ts";

/** The asset that is the object itself (the product archive), by its href. */
function objectAsset(item: StacItem, bucket: string, key: string): [string, Asset] | undefined {
  const href = s3Href(bucket, key);
  return Object.entries(item.assets).find(([, a]) => a.href === href);
}

/** The job that gives this freshly indexed item its MD5; undefined when it has one or may not get one. */
export function md5JobFor(
  item: StacItem,
  object: ObjectInfo,
  o: { bucket: string; version: string; maxBytes: number },
): Md5Job | undefined {
  if (o.maxBytes <= 0 || object.size === 0 || object.size > o.maxBytes || !object.etag) return undefined;
  const found = objectAsset(item, o.bucket, object.key);
  if (!found || assetMd5(found[1])) return undefined;
  return {
    bucket: o.bucket,
    key: object.key,
    etag: object.etag,
    size: object.size,
    collection: item.collection!,
    id: item.id,
    version: o.version,
  };
}

/**
 * The item to index, with the MD5 an earlier indexing of this very version computed (a redelivered
 * event): the object is the same, so it is not read again.
 */
export function keepComputedMd5(
  item: StacItem,
  stored: StoredItem | undefined,
  o: { bucket: string; key: string; version: string },
): StacItem {
  if (stored?.version !== o.version) return item;
  const before = objectAsset(stored.item, o.bucket, o.key);
  const now = objectAsset(item, o.bucket, o.key);
  const md5 = before && assetMd5(before[1]);
  if (!md5 || !now || assetMd5(now[1])) return item;
  return { ...item, assets: { ...item.assets, [now[0]]: withMd5(now[1], md5) } };
}

export interface ProductMd5Deps {
  getItem(collection: string, id: string): Promise<StoredItem | undefined>;
  /** Replaces the item while its stored version is `version`; false when it has moved on. */
  replaceItemAtVersion(item: StacItem, version: string): Promise<boolean>;
  storeFor(bucket: string): StreamingObjectStore;
  log: Logger;
}

export type Md5Result = { status: "recorded"; md5: string } | { status: "skipped"; reason: string };

export async function completeProductMd5(deps: ProductMd5Deps, job: Md5Job): Promise<Md5Result> {
  const skip = (reason: string): Md5Result => {
    deps.log.info("product MD5 not recorded", { key: job.key, reason });
    return { status: "skipped", reason };
  };
  const before = await deps.getItem(job.collection, job.id);
  if (before?.version !== job.version) return skip("the item has changed since it was indexed");
  const found = objectAsset(before.item, job.bucket, job.key);
  if (!found) return skip("the item no longer has this object as an asset");
  if (assetMd5(found[1])) return skip("the item already has an MD5");

  const started = Date.now();
  const stream = await deps.storeFor(job.bucket).openStream(job.key, job.etag);
  if (!stream) return skip("the object has been replaced or removed");
  const hash = createHash("md5");
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  if (bytes !== job.size) return skip(`read ${bytes} bytes of an object of ${job.size}`);
  const md5 = hash.digest("hex");

  // The read took a while: write only if the item is still the version this object produced.
  const item = { ...before.item, assets: { ...before.item.assets, [found[0]]: withMd5(found[1], md5) } };
  if (!(await deps.replaceItemAtVersion(item, job.version)))
    return skip("the item changed while the object was read");
  const seconds = (Date.now() - started) / 1000;
  deps.log.info("product MD5 recorded", {
    key: job.key,
    id: job.id,
    bytes,
    seconds,
    mibPerSecond: seconds > 0 ? Math.round(bytes / 2 ** 20 / seconds) : undefined,
  });
  return { status: "recorded", md5 };
}
