// Landsat Collection 2 scenes (tar, or objects in a folder): the MTL file → STAC Item.
import { ProductError } from "../../errors.ts";
import type { Asset, StacItem } from "../../stac/types.ts";
import { composeItem } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import { findFile, type ProductSource } from "../source/product-source.ts";
import type { ProductContext } from "../types.ts";
import { gridCentre, validDataCorners } from "./ang.ts";
import { parseMtl } from "./mtl.ts";

const INSTRUMENTS: Record<string, string[]> = {
  OLI_TIRS: ["oli", "tirs"],
  OLI: ["oli"],
  TIRS: ["tirs"],
  ETM: ["etm+"],
  TM: ["tm"],
  MSS: ["mss"],
};

export async function readLandsat(source: ProductSource, ctx: ProductContext | undefined): Promise<StacItem> {
  // The MTL that triggered the read, else json > xml > txt (same content, json is cheapest to parse).
  const trigger = ctx?.object.key.split("/").at(-1);
  const mtlFile =
    (trigger && source.files.find((f) => f.path === trigger)) ??
    findFile(source, /_MTL\.json$/i) ??
    findFile(source, /_MTL\.xml$/i) ??
    findFile(source, /_MTL\.txt$/i);
  if (!mtlFile) throw new ProductError(`missing MTL file in Landsat product ${source.root}`);
  const mtl = parseMtl(await source.read(mtlFile.path), mtlFile.path);
  const get = (k: string) => mtl.get(k);
  const num = (k: string) => (get(k) === undefined ? undefined : Number(get(k)));
  const id = get("LANDSAT_PRODUCT_ID")!;
  const date = get("DATE_ACQUIRED");
  const time = get("SCENE_CENTER_TIME")?.replace(/"/g, "");
  if (!date || !time) throw new ProductError(`${mtlFile.path} has no DATE_ACQUIRED/SCENE_CENTER_TIME`);
  const frac = (/\.(\d+)/.exec(time)?.[1] ?? "").padEnd(6, "0").slice(0, 6);
  const datetime = `${date}T${time.slice(0, 8)}.${frac}Z`;
  const corner = (c: string) =>
    [num(`CORNER_${c}_LON_PRODUCT`), num(`CORNER_${c}_LAT_PRODUCT`)] as [number, number];
  const grid = ["UL", "UR", "LR", "LL"].map(corner);
  if (grid.some(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y))) {
    throw new ProductError(`${mtlFile.path} has no CORNER_*_LAT/LON_PRODUCT`);
  }
  // The valid data, as USGS and stactools publish it; the grid rectangle (with its fill) only when the
  // scene has no angle file.
  const angFile = findFile(source, /_ANG\.txt$/i);
  const valid = angFile
    ? validDataCorners(new TextDecoder().decode(await source.read(angFile.path)), mtl)
    : undefined;
  const footprint = valid ?? grid;
  const level = get("PROCESSING_LEVEL") ?? "";
  const epsg =
    get("MAP_PROJECTION") === "UTM"
      ? `EPSG:${32600 + Number(get("UTM_ZONE"))}`
      : get("MAP_PROJECTION") === "PS"
        ? "EPSG:3031"
        : undefined;

  const properties: Record<string, unknown> = {
    datetime,
    platform: get("SPACECRAFT_ID")?.toLowerCase().replace("_", "-"),
    instruments: INSTRUMENTS[get("SENSOR_ID") ?? ""] ?? [get("SENSOR_ID")?.toLowerCase()],
    "eo:cloud_cover": num("CLOUD_COVER"),
    "landsat:cloud_cover_land": num("CLOUD_COVER_LAND"),
    "landsat:wrs_path": get("WRS_PATH")?.padStart(3, "0"),
    "landsat:wrs_row": get("WRS_ROW")?.padStart(3, "0"),
    "landsat:wrs_type": get("WRS_TYPE"),
    "landsat:collection_category": get("COLLECTION_CATEGORY"),
    "landsat:collection_number": get("COLLECTION_NUMBER"),
    "landsat:correction": level,
    "landsat:scene_id": get("LANDSAT_SCENE_ID"),
    "proj:code": epsg,
    "proj:epsg": epsg ? Number(epsg.slice(5)) : undefined,
    "view:sun_azimuth": num("SUN_AZIMUTH"),
    "view:sun_elevation": num("SUN_ELEVATION"),
    "product:type": level,
    "processing:version": get("PROCESSING_SOFTWARE_VERSION"),
    "processing:datetime": get("DATE_PRODUCT_GENERATED"),
    "sci:doi": get("DIGITAL_OBJECT_IDENTIFIER")?.replace(/^https:\/\/doi\.org\//, ""),
  };

  const assets: Record<string, Asset> = { ...source.productAssets() };
  for (const f of source.files) {
    const base = f.path.split("/").at(-1)!;
    if (!base.startsWith(id)) continue;
    const suffix = base.slice(id.length + 1);
    if (/\.TIF$/i.test(suffix)) {
      assets[suffix.replace(/\.TIF$/i, "").toLowerCase()] = source.asset(f.path, {
        title: suffix.replace(/\.TIF$/i, ""),
        type: "image/tiff; application=geotiff; profile=cloud-optimized",
        roles: suffix.startsWith("QA") ? ["data", "qa"] : ["data"],
      });
    } else if (/^MTL\.(json|xml|txt)$/i.test(suffix) || /^ANG\.txt$/i.test(suffix)) {
      assets[suffix.toLowerCase()] = source.asset(f.path, { title: suffix, roles: ["metadata"] });
    } else if (/thumb_small\.jpe?g$/i.test(suffix)) {
      assets["thumbnail"] = source.asset(f.path, {
        title: "Thumbnail",
        type: "image/jpeg",
        roles: ["thumbnail"],
      });
    }
  }
  return composeItem({
    id,
    collection: level.startsWith("L2") ? "landsat-c2-l2" : "landsat-c2-l1",
    footprint,
    // The valid data of a WRS scene, centred in its grid.
    footprintOptions: { areaKm2: [5_000, 80_000], centre: valid ? gridCentre(mtl) : undefined },
    properties,
    assets,
    extensions: [EXT.eo, EXT.proj, EXT.view, EXT.landsat, EXT.product, EXT.processing],
  });
}
