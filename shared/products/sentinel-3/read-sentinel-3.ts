// Sentinel-3 OLCI/SLSTR/SRAL/SYN (.SEN3, zipped or not): xfdumanifest.xml → STAC Item.

import { ProductError } from "../../errors.ts";
import type { Asset, StacItem } from "../../stac/types.ts";
import { xmlMetadata } from "../assets.ts";
import { sentinel3Collection } from "../collections.ts";
import { composeItem, isoUtc, midpoint } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import { parseSafeManifest } from "../safe/manifest.ts";
import { findFile, type ProductSource, requireFile } from "../source/product-source.ts";
import { attrOf, findAll, findFirst, findText, toNumber } from "../xml.ts";

const INSTRUMENTS: Record<string, string[]> = {
  OL: ["olci"],
  SL: ["slstr"],
  SR: ["sral"],
  SY: ["olci", "slstr"],
  MW: ["mwr"],
};

/**
 * How soon after sensing each timeliness class is delivered, as product v0.1.0's ISO 8601 durations:
 * Near Real Time within 3 hours, Short Time Critical within 48 hours, Non Time Critical within a month.
 */
const TIMELINESS: Record<string, string> = { NR: "PT3H", ST: "PT48H", NT: "P1M" };

/** "20211021T091357" (how the manifest writes creationTime) → "2021-10-21T09:13:57". */
function compactTime(t: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?$/.exec(t ?? "");
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ""}` : t;
}

/** Surface-type percentages the manifest carries as `<sentinel3:xxxPixels percentage=".."/>`. */
const PIXEL_CLASSES = [
  "salineWater",
  "coastal",
  "freshInlandWater",
  "tidalRegion",
  "land",
  "snowOrIce",
  "bright",
  "invalid",
  "cosmetic",
  "duplicated",
  "saturated",
  "dubiousSamples",
  "outOfRange",
];

export async function readSentinel3(source: ProductSource): Promise<StacItem> {
  const manifestFile = requireFile(source, /^xfdumanifest\.xml$/, "xfdumanifest.xml");
  const manifest = parseSafeManifest(await source.read(manifestFile.path), manifestFile.path);
  const doc = manifest.doc;
  const productType = findText(doc, "productType");
  if (!productType) throw new ProductError("xfdumanifest.xml has no sentinel3:productType");
  const start = isoUtc(manifest.startTime);
  const end = isoUtc(manifest.stopTime);
  if (!start || !end) throw new ProductError("xfdumanifest.xml has no valid startTime/stopTime");
  // The manifest's own name for the product, not the (maybe renamed) folder's.
  const name = (findText(doc, "productName") || source.root).replace(/\.SEN3$/i, "");
  if (!name) throw new ProductError("Sentinel-3 product has no .SEN3 folder or productName");
  const pct = (tag: string) => toNumber(attrOf(findFirst(doc, `${tag}Pixels`), "percentage"));

  const properties: Record<string, unknown> = {
    datetime: midpoint(start, end),
    start_datetime: start,
    end_datetime: end,
    platform: `sentinel-3${(manifest.number ?? "").toLowerCase()}`,
    constellation: "sentinel-3",
    instruments: INSTRUMENTS[productType.slice(0, 2)] ?? [productType.slice(0, 2).toLowerCase()],
    "eo:cloud_cover": pct("cloudy"),
    "sat:orbit_state": manifest.orbitDirection,
    "sat:absolute_orbit": manifest.absoluteOrbit,
    "sat:relative_orbit": manifest.relativeOrbit,
    "sat:orbit_cycle": toNumber(findText(doc, "cycleNumber")),
    "product:type": productType,
    "product:timeliness": TIMELINESS[findText(doc, "timeliness") ?? ""],
    "product:timeliness_category": findText(doc, "timeliness"),
    "processing:datetime": isoUtc(compactTime(findText(doc, "creationTime"))),
    "processing:version": findText(doc, "baselineCollection"),
    "s3:product_name": `${name}.SEN3`,
  };
  for (const c of PIXEL_CLASSES) {
    properties[`s3:${c.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)}`] = pct(c);
  }

  const assets: Record<string, Asset> = {
    ...source.productAssets(),
    "safe-manifest": source.asset(manifestFile.path, xmlMetadata("SAFE manifest")),
  };
  for (const f of source.files) {
    if (!/\.nc$/i.test(f.path)) continue;
    const key = f.path.split("/").at(-1)!.replace(/\.nc$/i, "").toLowerCase().replace(/_/g, "-");
    assets[key] = source.asset(f.path, { title: f.path, type: "application/x-netcdf", roles: ["data"] });
  }
  const quicklook = findFile(source, /(quicklook|browse|preview)[^/]*\.(jpe?g|png)$/i);
  if (quicklook) {
    const type = /png$/i.test(quicklook.path) ? "image/png" : "image/jpeg";
    assets["thumbnail"] = source.asset(quicklook.path, { title: "Quicklook", type, roles: ["thumbnail"] });
  }

  const extensions: string[] = [EXT.sat, EXT.product, EXT.processing, EXT.file];
  if (properties["eo:cloud_cover"] !== undefined) extensions.push(EXT.eo);
  const footprint = manifest.footprint && manifest.footprint.length >= 3 ? manifest.footprint : undefined;
  if (!footprint && !findAll(doc, "posList").length)
    throw new ProductError("xfdumanifest.xml has no footprint");
  return composeItem({
    id: name,
    collection: sentinel3Collection(productType),
    ...(footprint ? { footprint } : {}),
    properties,
    assets,
    extensions,
  });
}
