// Where a collection's monthly snapshot lives and how its asset is named: what the snapshot job and the
// API's snapshot route share (kept apart from the Parquet code, which the API does not load).
import { SNAPSHOTS_PREFIX } from "../products/object-home.ts";

export const PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet";
const ASSET_PREFIX = "snapshot-";
const MONTH = /^\d{4}-\d{2}$/;

export const snapshotKey = (collection: string, month: string) =>
  `${SNAPSHOTS_PREFIX}${collection}/${month}.parquet`;
export const snapshotAssetKey = (month: string) => `${ASSET_PREFIX}${month}`;

/** The month a snapshot asset key names, if it is one. */
export function snapshotMonth(assetKey: string): string | undefined {
  const m = assetKey.startsWith(ASSET_PREFIX) ? assetKey.slice(ASSET_PREFIX.length) : "";
  return MONTH.test(m) ? m : undefined;
}
