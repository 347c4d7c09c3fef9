// The one entry point from ingest: which kind of object is this, and which reader turns it into an item.
import { ProductError } from "../errors.ts";
import type { StacItem } from "../stac/types.ts";
import { detectFormat, sniffFormat } from "./detect-format.ts";
import { readGrib } from "./grib/read-grib.ts";
import { readLandsat } from "./landsat/read-landsat.ts";
import { readSentinel1 } from "./sentinel-1/read-sentinel-1.ts";
import { readSentinel2 } from "./sentinel-2/read-sentinel-2.ts";
import { readSentinel3 } from "./sentinel-3/read-sentinel-3.ts";
import { readSentinel5p } from "./sentinel-5p/read-sentinel-5p.ts";
import { readSidecar } from "./sidecar/read-sidecar.ts";
import { openFolderSource } from "./source/folder-source.ts";
import type { ProductSource } from "./source/product-source.ts";
import { openTarSource } from "./source/tar-source.ts";
import { openZipSource } from "./source/zip-source.ts";
import type { ProductContext, ReadOutcome } from "./types.ts";

export async function readProduct(ctx: ProductContext): Promise<ReadOutcome> {
  const { store, object } = ctx;
  const format = detectFormat(object.key);
  switch (format.kind) {
    case "sidecar":
      return item(await readSidecar(await store.getObject(object.key), store.bucket, object.key));
    case "member":
      return { kind: "skip", reason: format.reason };
    case "unknown":
      throw new ProductError(format.reason);
    case "zip":
      return item(await readPackaged(await openZipSource(store, object), object.key));
    case "tar":
      return item(await readPackaged(await openTarSource(store, object), object.key));
    case "safe-folder":
      return item(await readPackaged(await openFolderSource(store, format.prefix, format.root), object.key));
    case "landsat-folder":
      return item(await readLandsat(await openFolderSource(store, format.prefix, ""), ctx));
    case "sentinel-5p":
      return item(await readSentinel5p(ctx, format.form));
    case "grib":
      return item(await readGrib(ctx));
    case "sniff": {
      const sniffed = sniffFormat(await store.getRange(object.key, 0, Math.min(object.size, 512)));
      if (sniffed === "zip") return item(await readPackaged(await openZipSource(store, object), object.key));
      if (sniffed === "tar") return item(await readPackaged(await openTarSource(store, object), object.key));
      if (sniffed === "grib") return item(await readGrib(ctx));
      throw new ProductError(`unknown product format: ${object.key} (no known extension or signature)`);
    }
  }
}

const S2_PRODUCT_MTD = /^(MTD_MSIL(1C|2A)\.xml|S2[A-D]_OPER_MTD_SAFL(1C|2A)_.*\.xml)$/;

/** A product in a zip, tar or folder: which mission is told by its root folder or its files. */
async function readPackaged(source: ProductSource, key: string): Promise<StacItem> {
  const root = source.root;
  // Sentinel-2 is told by its product metadata file, whatever the archive or folder is called.
  if (source.files.some((f) => S2_PRODUCT_MTD.test(f.path))) return readSentinel2(source);
  if (/\.SAFE$/i.test(root) || source.files.some((f) => f.path === "manifest.safe")) {
    const name = root || key.split("/").at(-1)!;
    if (/^S2[A-D]_/.test(name) || source.files.some((f) => /^MTD_MSIL(1C|2A)\.xml$/.test(f.path))) {
      return readSentinel2(source);
    }
    if (/^S1[A-D]_/.test(name) || source.files.some((f) => f.path.startsWith("annotation/")))
      return readSentinel1(source);
    if (!source.files.some((f) => f.path === "manifest.safe")) {
      throw new ProductError(`missing manifest.safe in product ${name}`);
    }
    throw new ProductError(
      `unknown product format: SAFE product ${name} is neither Sentinel-1 nor Sentinel-2`,
    );
  }
  if (/\.SEN3$/i.test(root) || source.files.some((f) => f.path === "xfdumanifest.xml"))
    return readSentinel3(source);
  if (source.files.some((f) => /_MTL\.(json|xml|txt)$/i.test(f.path))) return readLandsat(source, undefined);
  throw new ProductError(`unknown product format: ${key} holds no .SAFE/.SEN3 product or Landsat MTL file`);
}

function item(i: StacItem): ReadOutcome {
  return { kind: "item", item: i };
}
