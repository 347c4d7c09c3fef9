// What a download request points at: an asset of an item (the product, or a file inside it), or any
// file inside a zipped/tarred product by its path. Paths are checked before anything is read.
import { BadRequestError, NotFoundError } from "../errors.ts";
import { mediaType } from "../products/assets.ts";
import { TAR_MEMBER_FIELD } from "../products/source/tar-source.ts";
import { MEMBER_FIELD, type ZipMemberRef } from "../products/types.ts";
import type { Asset, StacItem } from "../stac/types.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import { cachingReader, objectReader } from "../zip/range-reader.ts";
import { commonFolder, listTar } from "../zip/tar-reader.ts";
import { openZip } from "../zip/zip-reader.ts";
import { type MemberLocation, zipLocation } from "./member-stream.ts";

export interface DownloadTarget {
  collection: string;
  item: string;
  /**
   * The key the item was read from (StoredItem.source; undefined for older items): what confines the
   * objects it may hand out (./confine.ts). Required, so that no caller can leave it out by accident.
   */
  source: string | undefined;
  /** Recorded in statistics: the asset key, or `files/<path>`. */
  file: string;
  bucket: string;
  key: string;
  member?: MemberLocation;
  filename: string;
  contentType: string;
  size: number | undefined;
  /** A preview: shown inline, governed by search access, not counted as a download. */
  preview: boolean;
  /**
   * A preview for a client that takes nothing but JPEG (DHuS quicklooks); other previews are converted
   * only when a browser cannot show them (shared/quicklook).
   */
  jpegOnly?: boolean;
}

export const S3_HREF = /^s3:\/\/([^/]+)\/(.+)$/;
const basename = (p: string) => p.split("/").filter(Boolean).pop() ?? p;
const typeOf = (name: string, declared?: string) => declared ?? mediaType(name) ?? "application/octet-stream";

export function assetTarget(
  item: StacItem,
  source: string | undefined,
  assetKey: string,
  asset: Asset,
): DownloadTarget | undefined {
  const m = S3_HREF.exec(asset.href);
  if (!m) return undefined;
  const zip = asset[MEMBER_FIELD] as ZipMemberRef | undefined;
  const tar = asset[TAR_MEMBER_FIELD] as { path: string; dataOffset: number; size: number } | undefined;
  const member: MemberLocation | undefined = zip
    ? { kind: "zip", ...zip }
    : tar
      ? { kind: "tar", ...tar }
      : undefined;
  const filename = basename(member ? member.path : m[2]!);
  const size = member?.size ?? (asset["file:size"] as number | undefined);
  return {
    collection: item.collection ?? "",
    item: item.id,
    source,
    file: assetKey,
    bucket: m[1]!,
    key: m[2]!,
    ...(member ? { member } : {}),
    filename,
    contentType: typeOf(filename, asset.type),
    size,
    preview: (asset.roles ?? []).includes("thumbnail") || assetKey === "thumbnail",
  };
}

/** Rejects paths that could mean anything but one file below the product root. */
export function checkFilePath(path: string): string {
  const segments = path.split("/");
  if (path.length > 1024 || /[\\\0]/.test(path) || segments.some((s) => s === "" || s === "." || s === ".."))
    throw new BadRequestError(
      `file path '${path}' is not a plain relative path inside the product (no '..', '.', '//' or '\\')`,
    );
  return path;
}

const PRODUCT_FOLDER = /^(?:[^/]*\/)*?([^/]+\.(?:SAFE|SEN3))\//i;

export interface ProductFiles {
  /** Folder inside the archive that paths are relative to (`X.SAFE/`), or "". */
  prefix: string;
  files: { path: string; size: number; member: MemberLocation }[];
}

/** Lists a product archive from its central directory (zip) or headers (tar), by ranged reads. */
export async function listProductFiles(
  store: ObjectStore,
  item: StacItem,
): Promise<ProductFiles & { key: string }> {
  const product = item.assets["product"];
  const m = product ? S3_HREF.exec(product.href) : null;
  if (!product || !m) throw new NotFoundError(`item '${item.id}' has no product archive to list`);
  const key = m[2]!;
  const isZip = /zip/.test(product.type ?? "") || /\.zip$/i.test(key);
  const isTar = /x-tar/.test(product.type ?? "") || /\.tar$/i.test(key);
  if (!isZip && !isTar)
    throw new NotFoundError(`the product of '${item.id}' is not an archive: its files are the item's assets`);
  const info = await store.head(key);
  if (!info) throw new NotFoundError(`the product object of '${item.id}' is missing from storage`);
  if (isZip) {
    const zip = await openZip(cachingReader(objectReader(store, key, info.size)));
    const folder = zip.entries.map((e) => PRODUCT_FOLDER.exec(e.name)).find((x) => x);
    const prefix = folder ? folder[0] : "";
    const files = zip.entries
      .filter((e) => !e.isDirectory && e.name.startsWith(prefix))
      .map((e) => ({
        path: e.name.slice(prefix.length),
        size: e.size,
        member: zipLocation(e),
      }));
    return { key, prefix, files };
  }
  const entries = await listTar(objectReader(store, key, info.size));
  const prefix = commonFolder(entries);
  const files = entries.map((e) => ({
    path: e.name.slice(prefix.length),
    size: e.size,
    member: { kind: "tar" as const, path: e.name, dataOffset: e.dataOffset, size: e.size },
  }));
  return { key, prefix, files };
}

export function fileTarget(
  item: StacItem,
  source: string | undefined,
  bucket: string,
  listing: ProductFiles & { key: string },
  path: string,
): DownloadTarget {
  checkFilePath(path);
  const f = listing.files.find((x) => x.path === path || x.member.path === path);
  if (!f) {
    if (listing.files.some((x) => x.path.startsWith(`${path}/`)))
      throw new BadRequestError(
        `'${path}' is a folder of the product, not a file; list its files at …/files`,
      );
    throw new NotFoundError(
      `product '${item.id}' has no file '${path}' (list them at …/items/${item.id}/files)`,
    );
  }
  const filename = basename(f.path);
  return {
    collection: item.collection ?? "",
    item: item.id,
    source,
    file: `files/${f.path}`,
    bucket,
    key: listing.key,
    member: f.member,
    filename,
    contentType: typeOf(filename),
    size: f.size,
    preview: false,
  };
}
