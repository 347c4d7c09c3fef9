// A collection's monthly stac-geoparquet snapshot (shared/export/snapshots.ts): 302 to a short-lived
// presigned GET, as item assets are served. A snapshot is metadata, so searching the collection is
// what it takes; only a month the collection links is served, from the key that month's file has.
import { accessOf } from "../../auth/authorize.ts";
import { NotFoundError } from "../../errors.ts";
import { PARQUET_MEDIA_TYPE, snapshotAssetKey, snapshotKey } from "../../export/snapshot-keys.ts";
import { type HttpRequest, type HttpResponse, redirect } from "../../http/types.ts";
import { requireCollection } from "../../search/search.ts";
import type { ApiDeps } from "../deps.ts";

export async function downloadSnapshot(
  deps: ApiDeps,
  req: HttpRequest,
  collection: string,
  month: string,
): Promise<HttpResponse> {
  const rec = await requireCollection(deps.catalogue, collection, accessOf(deps.auth?.policy, req));
  const bucket = deps.settings.productsBucket;
  if (!bucket || !rec.collection.assets?.[snapshotAssetKey(month)])
    throw new NotFoundError(`collection '${collection}' has no snapshot of ${month}`);
  const url = await deps.presigner.presignGet(bucket, snapshotKey(collection, month), {
    expiresIn: deps.settings.presignSeconds,
    filename: `${collection}-${month}.parquet`,
    contentType: PARQUET_MEDIA_TYPE,
  });
  return redirect(url);
}
