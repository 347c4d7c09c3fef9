// Sentinel-1 GRD/SLC (IW, EW, SM, WV): manifest.safe + one product annotation → STAC Item.

import { ProductError } from "../../errors.ts";
import type { Asset, StacItem } from "../../stac/types.ts";
import { xmlMetadata } from "../assets.ts";
import { composeItem, isoUtc, midpoint } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import { parseSafeManifest } from "../safe/manifest.ts";
import { findFile, type ProductSource, requireFile } from "../source/product-source.ts";
import { attrOf, findAll, findFirst, findText, textOf } from "../xml.ts";
import { parseAnnotation, type S1Annotation } from "./annotation.ts";
import { sentinel1ProductName } from "./product-name.ts";

/** `s1a-iw1-slc-hh-…-001.tiff` → swath iw1, polarisation hh. */
const FILE_NAME = /^s1[a-d]-([a-z0-9]+)-([a-z]+)-([a-z]{2})-/;

export async function readSentinel1(source: ProductSource): Promise<StacItem> {
  const manifestFile = requireFile(source, /^manifest\.safe$/, "manifest.safe");
  const manifestBytes = await source.read(manifestFile.path);
  const manifest = parseSafeManifest(manifestBytes, manifestFile.path);
  const doc = manifest.doc;
  const productType = findText(doc, "productType");
  const mode = findText(doc, "mode");
  if (!productType || !mode)
    throw new ProductError("manifest.safe has no s1sarl1:productType or s1sarl1:mode");
  const start = isoUtc(manifest.startTime);
  const end = isoUtc(manifest.stopTime);
  if (!start || !end) throw new ProductError("manifest.safe has no valid safe:startTime/safe:stopTime");
  if (!manifest.footprint || manifest.footprint.length < 3)
    throw new ProductError("manifest.safe has no footprint");
  const polarizations = findAll(doc, "transmitterReceiverPolarisation").map((p) => textOf(p)!.toUpperCase());
  const annotationFile = findFile(source, /^annotation\/s1[a-d]-[^/]+\.xml$/);
  const annotation = annotationFile ? await readAnnotation(source, annotationFile.path) : undefined;
  // The id is the product's own name, made from its metadata, whatever the zip or folder is called.
  const name = sentinel1ProductName(manifestBytes, manifest, {
    rangePixelSpacing: annotation?.rangePixelSpacing,
  });
  const grd = productType === "GRD";

  const properties: Record<string, unknown> = {
    datetime: midpoint(start, end),
    start_datetime: start,
    end_datetime: end,
    platform: `sentinel-1${(manifest.number ?? "").toLowerCase()}`,
    constellation: "sentinel-1",
    instruments: ["c-sar"],
    "sat:orbit_state": manifest.orbitDirection,
    "sat:absolute_orbit": manifest.absoluteOrbit,
    "sat:relative_orbit": manifest.relativeOrbit,
    "sat:anx_datetime": isoUtc(findText(doc, "ascendingNodeTime")),
    "sar:instrument_mode": mode,
    "sar:frequency_band": "C",
    "sar:center_frequency": 5.405,
    "sar:polarizations": polarizations,
    "sar:product_type": productType,
    "sar:observation_direction": "right",
    "sar:pixel_spacing_range": grd ? annotation?.rangePixelSpacing : undefined,
    "sar:pixel_spacing_azimuth": grd ? annotation?.azimuthPixelSpacing : undefined,
    "product:type": productType,
    "processing:level": "L1",
    // The outermost safe:processing step is the one that made this product; it ends when the product did.
    "processing:datetime": isoUtc(attrOf(findFirst(doc, "processing"), "stop")),
    "processing:version": findAll(doc, "software")
      .map((s) => (s as Record<string, string>)["@version"])
      .find(Boolean),
    "s1:datatake_id": findText(doc, "missionDataTakeID"),
    "s1:product_timeliness": findText(doc, "productTimelinessCategory"),
    "s1:slice_number": findText(doc, "sliceNumber"),
    "s1:total_slices": findText(doc, "totalSlices"),
    "s1:shape": annotation?.samples && annotation.lines ? [annotation.samples, annotation.lines] : undefined,
    // The rasters are geolocated by ground control points in WGS 84, as the stactools items say;
    // proj:epsg beside proj:code for GDAL before 3.10 and older odc-stac. proj:shape is [rows, columns].
    "proj:code": "EPSG:4326",
    "proj:epsg": 4326,
    "proj:shape":
      annotation?.samples && annotation.lines ? [annotation.lines, annotation.samples] : undefined,
  };

  const assets: Record<string, Asset> = {
    ...source.productAssets(),
    "safe-manifest": source.asset(manifestFile.path, xmlMetadata("SAFE manifest")),
  };
  for (const f of source.files) {
    const base = f.path.split("/").at(-1)!;
    const m = FILE_NAME.exec(base);
    if (!m) continue;
    const key = grd ? m[3]! : `${m[1]}-${m[3]}`;
    if (f.path.startsWith("measurement/")) {
      assets[key] = source.asset(f.path, {
        title: `${m[3]!.toUpperCase()} ${grd ? "" : `${m[1]!.toUpperCase()} `}measurement`.replace("  ", " "),
        type: /\.tiff?$/.test(base) ? "image/tiff; application=geotiff" : "application/octet-stream",
        roles: ["data", grd ? "amplitude" : "complex"],
        "sar:polarizations": [m[3]!.toUpperCase()],
      });
    } else if (/^annotation\/(calibration\/)?(calibration|noise|rfi)?-?s1/.test(f.path)) {
      const kind = /^annotation\/calibration\/(calibration|noise|rfi)-/.exec(f.path)?.[1] ?? "annotation";
      assets[`${kind}-${key}`] = source.asset(f.path, xmlMetadata(`${kind} ${key}`));
    }
  }
  const quicklook = findFile(source, /^preview\/quick-look\.png$/);
  if (quicklook)
    assets["thumbnail"] = source.asset(quicklook.path, {
      title: "Quicklook",
      type: "image/png",
      roles: ["thumbnail"],
    });

  return composeItem({
    id: name,
    collection: `sentinel-1-${productType.toLowerCase()}`,
    footprint: manifest.footprint,
    // From a wave-mode vignette to a long assembled EW slice.
    footprintOptions: { areaKm2: [50, 1_500_000] },
    properties,
    assets,
    extensions: [EXT.sar, EXT.sat, EXT.proj, EXT.product, EXT.processing, EXT.file],
  });
}

/**
 * The manifest is the product's authority; the annotation only adds raster shape and pixel spacing.
 * A product whose annotation cannot be read is still indexed, without those fields.
 */
async function readAnnotation(source: ProductSource, path: string): Promise<S1Annotation | undefined> {
  try {
    return parseAnnotation(await source.read(path), path);
  } catch (err) {
    if (err instanceof ProductError) return undefined;
    throw err;
  }
}
