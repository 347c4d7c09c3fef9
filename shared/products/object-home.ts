// Where an item's files may live: the rules that confine asset hrefs, shared by the sidecar reader, the
// Transactions API and the download route (which re-checks them on every download).
//
//   sidecar `a/b/x.stac.json`   its assets resolve inside `a/b/` (its folder, subfolders included);
//                               `..` may not climb above it; `s3://` only in its own bucket and folder
//   Transactions API item of C  `s3://` only in the products bucket, under `C/`, or the hrefs the
//                               stored version already had (a patched ingested item keeps its product)
//   everywhere                  keys are plain (no empty, `.` or `..` segments); no other bucket
// And whatever the rule that admitted it, an object that is itself the source of another item, or a
// file of a product folder another item was read from, belongs to that item: the download route
// refuses it (shared/download/confine.ts).

/**
 * Where the catalogue keeps its own files in the products bucket (the collections' monthly
 * stac-geoparquet snapshots, shared/export/snapshots.ts): not products, so ingest skips them.
 */
export const SNAPSHOTS_PREFIX = "_snapshots/";

/** `source` of items written through the API; no product key starts with a NUL character. */
export const API_SOURCE = "\u0000api";

export interface S3Location {
  bucket: string;
  key: string;
}

const S3_URL = /^s3:\/\/([^/]+)\/(.+)$/;

export function parseS3Href(href: string): S3Location | undefined {
  const m = S3_URL.exec(href);
  return m ? { bucket: m[1]!, key: m[2]! } : undefined;
}

/** A key that names one object the same way to every client: no empty, `.` or `..` segment. */
export const isPlainKey = (key: string): boolean =>
  key.length > 0 && key.split("/").every((s) => s !== "" && s !== "." && s !== "..");

/** The folder of a key with its trailing slash (`a/b/` for `a/b/x.json`), "" at the bucket root. */
export const folderOf = (key: string): string => key.slice(0, key.lastIndexOf("/") + 1);

export const insideFolder = (key: string, folder: string): boolean => key.startsWith(folder);

const PRODUCT_FOLDER = /^(.*?[^/]+\.(?:SAFE|SEN3)\/)/i;
const LANDSAT_SCENE = /^(L[COTEM]0\d_L\d[A-Z]{2}_\d{6}_\d{8}_\d{8}_\d{2}_(?:T1|T2|RT|A1|A2))/;

/**
 * Keys whose item owns this object: the object itself and, for a file of a product uploaded as a
 * folder, the manifest the product is read from (SAFE/SEN3 `manifest.safe`/`xfdumanifest.xml`, a
 * Landsat scene's `_MTL` file). Matches how ingest names products (../products/detect-format.ts).
 */
export function ownerKeys(key: string): string[] {
  const out = [key];
  const folder = PRODUCT_FOLDER.exec(key)?.[1];
  if (folder) out.push(`${folder}manifest.safe`, `${folder}xfdumanifest.xml`);
  const name = key.slice(key.lastIndexOf("/") + 1);
  const scene = LANDSAT_SCENE.exec(name)?.[1];
  if (scene) for (const ext of ["xml", "json", "txt"]) out.push(`${folderOf(key)}${scene}_MTL.${ext}`);
  return [...new Set(out)];
}

/** A STAC Item sidecar: its assets are confined to its folder. */
export const isSidecarKey = (key: string): boolean => /\.stac\.json$/i.test(key);
