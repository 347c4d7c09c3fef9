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

/** A product in a zip, tar or folder: which mission is told by its files, never by what it is called. */
async function readPackaged(source: ProductSource, key: string): Promise<StacItem> {
  const name = source.root || key.split("/").at(-1)!;
  // Sentinel-2 is told by its product metadata file; it is read with or without manifest.safe.
  if (source.files.some((f) => S2_PRODUCT_MTD.test(f.path))) return readSentinel2(source);
  const hasManifest = source.files.some((f) => f.path === "manifest.safe");
  if (hasManifest) {
    if (source.files.some((f) => f.path.startsWith("annotation/"))) return readSentinel1(source);
    const platform = await manifestPlatform(source);
    if (platform === "sentinel-1") return readSentinel1(source);
    // A Sentinel-2 manifest alone (a folder whose other files have not arrived yet): the reader names
    // what is missing.
    if (platform === "sentinel-2" || looksSentinel2(source, name)) return readSentinel2(source);
    throw new ProductError(
      `unknown product format: SAFE product ${name} is neither Sentinel-1 nor Sentinel-2`,
    );
  }
  if (source.files.some((f) => f.path === "xfdumanifest.xml")) return readSentinel3(source);
  // Sentinel-2 without its product metadata: the reader names what is missing.
  if (looksSentinel2(source, name)) return readSentinel2(source);
  // What cannot be read without a manifest: a Sentinel-1 SAFE (its name's unique id is the manifest's
  // CRC-16, its footprint and orbit are in it) and a Sentinel-3 SEN3 (xfdumanifest.xml is its metadata).
  if (/\.SAFE$/i.test(source.root) || source.files.some((f) => f.path.startsWith("annotation/")))
    throw new ProductError(`missing manifest.safe in product ${name}`);
  if (/\.SEN3$/i.test(source.root)) throw new ProductError(`missing xfdumanifest.xml in product ${name}`);
  if (source.files.some((f) => /_MTL\.(json|xml|txt)$/i.test(f.path))) return readLandsat(source, undefined);
  throw new ProductError(`unknown product format: ${key} holds no .SAFE/.SEN3 product or Landsat MTL file`);
}

/** Only to choose the reader (which then names what is missing); identity never comes from names. */
function looksSentinel2(source: ProductSource, name: string): boolean {
  return /^S2[A-D]_/.test(name) || source.files.some((f) => f.path.startsWith("GRANULE/"));
}

/**
 * A SAFE without annotation files is told by its manifest's platform: Sentinel-1 names itself
 * `SENTINEL-1`; Sentinel-2 names itself `SENTINEL` with the MSI instrument.
 */
async function manifestPlatform(source: ProductSource): Promise<"sentinel-1" | "sentinel-2" | undefined> {
  const text = new TextDecoder().decode(await source.read("manifest.safe"));
  if (/<(?:\w+:)?familyName[^>]*>\s*SENTINEL-1\s*</i.test(text)) return "sentinel-1";
  if (/<(?:\w+:)?familyName[^>]*abbreviation="MSI"/i.test(text)) return "sentinel-2";
  return undefined;
}

function item(i: StacItem): ReadOutcome {
  return { kind: "item", item: i };
}
