// A product packed in a tar (Landsat scenes): members are found by hopping between 512-byte headers.
import { ProductError } from "../../errors.ts";
import type { Asset } from "../../stac/types.ts";
import type { ObjectInfo, ObjectStore } from "../../storage/object-store.ts";
import { objectReader } from "../../zip/range-reader.ts";
import { commonFolder, listTar } from "../../zip/tar-reader.ts";
import { DEFAULT_LIMITS } from "../../zip/zip-format.ts";
import { productAsset, s3Href } from "../assets.ts";
import type { ProductSource } from "./product-source.ts";

/** Where a file sits inside a tar product (stored as is, so it can be served as one byte range). */
export const TAR_MEMBER_FIELD = "hexarchive:tar_member";

export async function openTarSource(store: ObjectStore, object: ObjectInfo): Promise<ProductSource> {
  const entries = await listTar(objectReader(store, object.key, object.size));
  // Tars are often flat; when all members share one folder, paths are taken relative to it.
  const prefix = commonFolder(entries);
  const byPath = new Map(entries.map((e) => [e.name.slice(prefix.length), e]));
  const href = s3Href(store.bucket, object.key);
  return {
    root: prefix.replace(/\/$/, ""),
    files: entries.map((e) => ({ path: e.name.slice(prefix.length), size: e.size })),
    async read(path) {
      const e = byPath.get(path);
      if (!e) throw new ProductError(`missing ${path} in tar product ${object.key}`);
      if (e.size > DEFAULT_LIMITS.maxMemberBytes) {
        throw new ProductError(
          `tar member ${path} is ${e.size} bytes, more than the ${DEFAULT_LIMITS.maxMemberBytes} allowed`,
        );
      }
      // Small members came with the listing's reads of their headers.
      return e.data ?? store.getRange(object.key, e.dataOffset, e.dataOffset + e.size);
    },
    asset(path, fields): Asset {
      const e = byPath.get(path);
      return {
        href,
        ...fields,
        ...(e ? { [TAR_MEMBER_FIELD]: { path: e.name, dataOffset: e.dataOffset, size: e.size } } : {}),
      };
    },
    productAssets: () => ({ product: productAsset(store.bucket, object, "application/x-tar") }),
  };
}
