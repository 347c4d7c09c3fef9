// Where an item's files may live: the rules that confine asset hrefs, shared by the sidecar reader, the
// Transactions API and the download route (which re-checks them on every download).
//
//   sidecar `a/b/x.stac.json`   its assets resolve inside `a/b/` (its folder, subfolders included);
//                               `..` may not climb above it; `s3://` only in its own bucket and folder
//   Transactions API item of C  `s3://` only in the products bucket, under `C/`, or the hrefs the
//                               stored version already had (a patched ingested item keeps its product)
//   everywhere                  keys are plain (no empty, `.` or `..` segments); no other bucket
// And whatever the rule that admitted it, an object that is itself the source of another item belongs
// to that item: the download route refuses it (shared/download/confine.ts).

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

/** A STAC Item sidecar: its assets are confined to its folder. */
export const isSidecarKey = (key: string): boolean => /\.stac\.json$/i.test(key);
