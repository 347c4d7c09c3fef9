// A product uploaded unzipped, object by object: its files are the objects under one prefix.
import { ProductError } from "../../errors.ts";
import type { Asset } from "../../stac/types.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import { DEFAULT_LIMITS } from "../../zip/zip-format.ts";
import { fileFields, s3Href } from "../assets.ts";
import type { ProductSource } from "./product-source.ts";

/** `prefix` ends with "/" (e.g. `incoming/S2A_….SAFE/`); `root` is the folder's own name. */
export async function openFolderSource(
  store: ObjectStore,
  prefix: string,
  root: string,
): Promise<ProductSource> {
  const objects = await store.list(prefix);
  const byPath = new Map(objects.map((o) => [o.key.slice(prefix.length), o]));
  return {
    root,
    files: objects.map((o) => ({ path: o.key.slice(prefix.length), size: o.size })),
    async read(path) {
      const o = byPath.get(path);
      if (!o) throw new ProductError(`missing ${path} in product folder ${prefix}`);
      if (o.size > DEFAULT_LIMITS.maxMemberBytes) {
        throw new ProductError(
          `${path} is ${o.size} bytes, more than the ${DEFAULT_LIMITS.maxMemberBytes} allowed`,
        );
      }
      return store.getObject(o.key);
    },
    asset(path, fields): Asset {
      const o = byPath.get(path);
      return { href: s3Href(store.bucket, prefix + path), ...fields, ...(o ? fileFields(o) : {}) };
    },
    productAssets: () => ({}),
  };
}
