// Sentinel-2 L1C/L2A (all baselines): product MTD + tile MTD (+ manifest.safe when present) → STAC Item.
// Identity comes from PRODUCT_URI, never from the archive's or folder's name.
import { ProductError } from "../../errors.ts";
import type { Asset, StacItem } from "../../stac/types.ts";
import { mediaType, xmlMetadata } from "../assets.ts";
import { composeItem } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import { parseSafeManifest } from "../safe/manifest.ts";
import { findFile, type ProductSource, requireFile } from "../source/product-source.ts";
import { bandAssets } from "./band-assets.ts";
import { parseProductMetadata } from "./product-metadata.ts";
import { parseTileMetadata, type S2TileMetadata } from "./tile-metadata.ts";

const PRODUCT_MTD = /^(MTD_MSIL(1C|2A)\.xml|S2[A-D]_OPER_MTD_SAFL(1C|2A)_.*\.xml)$/;
const TILE_MTD = /^GRANULE\/[^/]+\/(MTD_TL\.xml|S2[A-D]_OPER_MTD_L(1C|2A)_TL_.*\.xml)$/;
const DATASTRIP_MTD = /^DATASTRIP\/[^/]+\/(MTD_DS\.xml|S2[A-D]_OPER_MTD_L(1C|2A)_DS_.*\.xml)$/;

const S2_PERCENTAGES = new Set([
  "s2:cloud_shadow_percentage",
  "s2:dark_features_percentage",
  "s2:degraded_msi_data_percentage",
  "s2:high_proba_clouds_percentage",
  "s2:medium_proba_clouds_percentage",
  "s2:nodata_pixel_percentage",
  "s2:not_vegetated_percentage",
  "s2:saturated_defective_pixel_percentage",
  "s2:snow_ice_percentage",
  "s2:thin_cirrus_percentage",
  "s2:unclassified_percentage",
  "s2:vegetation_percentage",
  "s2:water_percentage",
]);

export async function readSentinel2(source: ProductSource): Promise<StacItem> {
  // manifest.safe adds only the absolute orbit, which the tile id also holds: a SAFE without it is read.
  const manifestFile = findFile(source, /^manifest\.safe$/);
  const mtdFile = requireFile(source, PRODUCT_MTD, "product metadata (MTD_MSIL1C.xml / MTD_MSIL2A.xml)");
  const tileFile = findFile(source, TILE_MTD);
  const [manifestBytes, mtdBytes, tileBytes] = await Promise.all([
    manifestFile ? source.read(manifestFile.path) : Promise.resolve(undefined),
    source.read(mtdFile.path),
    tileFile ? source.read(tileFile.path) : Promise.resolve(undefined),
  ]);
  const manifest = manifestBytes ? parseSafeManifest(manifestBytes, manifestFile!.path) : undefined;
  const mtd = parseProductMetadata(mtdBytes, mtdFile.path);
  const tile: S2TileMetadata | undefined = tileBytes
    ? parseTileMetadata(tileBytes, tileFile!.path)
    : undefined;

  const name = (mtd.productUri || source.root).replace(/\.SAFE$/i, "");
  if (!name) throw new ProductError(`${mtdFile.path} has no PRODUCT_URI and the product no .SAFE folder`);
  const level = /2A/.test(mtd.productType) ? "l2a" : "l1c";
  const tileCode =
    /_T(\d{2}[A-Z]{3})_/.exec(`${name}_`)?.[1] ?? /_T(\d{2}[A-Z]{3})_/.exec(mtd.granuleId ?? "")?.[1];
  const absoluteOrbit =
    manifest?.absoluteOrbit ?? Number(/_A(\d{6})_/.exec(tile?.tileId ?? "")?.[1] ?? Number.NaN);
  const percent = (k: string) => mtd.qualityPercentages[k];

  const properties: Record<string, unknown> = {
    datetime: isoZ(mtd.startTime),
    platform: mtd.spacecraft.toLowerCase(),
    constellation: "sentinel-2",
    instruments: ["msi"],
    "eo:cloud_cover": mtd.cloudCover ?? tile?.cloudyPixels,
    "eo:snow_cover": percent("SNOW_ICE_PERCENTAGE"),
    "sat:orbit_state": mtd.orbitDirection,
    "sat:relative_orbit": mtd.relativeOrbit,
    "sat:absolute_orbit": absoluteOrbit,
    "proj:code": tile?.epsg,
    // GDAL before 3.10 and older odc-stac read only proj:epsg.
    "proj:epsg": tile?.epsg && /^EPSG:\d+$/.test(tile.epsg) ? Number(tile.epsg.slice(5)) : undefined,
    "grid:code": tileCode ? `MGRS-${tileCode}` : undefined,
    "mgrs:utm_zone": tileCode ? Number(tileCode.slice(0, 2)) : undefined,
    "mgrs:latitude_band": tileCode?.slice(2, 3),
    "mgrs:grid_square": tileCode?.slice(3),
    "product:type": mtd.productType,
    "processing:version": mtd.baseline,
    "processing:datetime": mtd.generationTime,
    "s2:processing_baseline": mtd.baseline,
    "s2:product_type": mtd.productType,
    "s2:product_uri": mtd.productUri,
    "s2:generation_time": mtd.generationTime,
    "s2:datatake_id": mtd.datatakeId,
    "s2:datatake_type": mtd.datatakeType,
    "s2:datastrip_id": mtd.datastripId,
    "s2:tile_id": tile?.tileId ?? mtd.granuleId,
    "s2:reflectance_conversion_factor": mtd.reflectanceConversion,
    "s2:degraded_msi_data_percentage": mtd.degradedPercentage,
    "view:sun_azimuth": tile?.sunAzimuth,
    "view:sun_elevation": tile?.sunZenith === undefined ? undefined : 90 - tile.sunZenith,
    "view:incidence_angle": tile?.viewZenith,
    "view:azimuth": tile?.viewAzimuth,
  };
  // Only the percentages the sentinel-2 extension defines: it refuses any other s2: field, and newer
  // baselines report more (e.g. CLOUDY_PIXEL_OVER_LAND_PERCENTAGE, which eo/STAC have no field for).
  for (const [k, v] of Object.entries(mtd.qualityPercentages)) {
    const key = `s2:${k.toLowerCase()}`;
    if (S2_PERCENTAGES.has(key)) properties[key] = v;
  }

  const assets: Record<string, Asset> = {
    ...source.productAssets(),
    ...bandAssets(source, mtd, tile),
    ...(manifestFile ? { safe_manifest: source.asset(manifestFile.path, xmlMetadata("SAFE manifest")) } : {}),
    product_metadata: source.asset(mtdFile.path, xmlMetadata("Product metadata")),
  };
  if (tileFile) assets["granule_metadata"] = source.asset(tileFile.path, xmlMetadata("Granule metadata"));
  const ds = findFile(source, DATASTRIP_MTD);
  if (ds) assets["datastrip_metadata"] = source.asset(ds.path, xmlMetadata("Datastrip metadata"));
  const inspire = findFile(source, /^INSPIRE\.xml$/);
  if (inspire) assets["inspire_metadata"] = source.asset(inspire.path, xmlMetadata("INSPIRE metadata"));
  const preview =
    findFile(source, /-ql\.jpg$/i) ?? findFile(source, /^GRANULE\/[^/]+\/QI_DATA\/.*_PVI\.(jp2|tif)$/);
  if (preview) {
    assets["thumbnail"] = source.asset(preview.path, {
      title: "Quicklook",
      roles: ["thumbnail"],
      ...(mediaType(preview.path) ? { type: mediaType(preview.path)! } : {}),
    });
  }

  return composeItem({
    id: name,
    collection: `sentinel-2-${level}`,
    footprint: mtd.footprint,
    // One MGRS tile at most (110 km square), a sliver of one at least.
    footprintOptions: { areaKm2: [0.01, 15_000] },
    properties,
    assets,
    extensions: [
      EXT.eo,
      EXT.sat,
      EXT.proj,
      EXT.grid,
      EXT.mgrs,
      EXT.view,
      EXT.product,
      EXT.processing,
      EXT.s2,
      EXT.raster,
      EXT.file,
    ],
  });
}

function isoZ(t: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) throw new ProductError(`Sentinel-2 PRODUCT_START_TIME is not a date: ${t}`);
  const frac = (/\.(\d+)/.exec(t)?.[1] ?? "").padEnd(6, "0").slice(0, 6);
  return `${d.toISOString().slice(0, 19)}.${frac}Z`;
}
