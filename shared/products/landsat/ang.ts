// Landsat's angle coefficient file (ANG.txt): where the valid data lies in the product grid. Its four
// image corners (band 1, in grid lines/samples) on the MTL's map grid are the valid-data footprint that
// USGS and stactools publish, rather than the grid rectangle with its fill.
import { polarStereographicToLonLat, utmToLonLat } from "../../geo/projections.ts";
import type { Mtl } from "./mtl.ts";

/** The valid-data corners as [lon, lat], or undefined when the files do not say enough. */
export function validDataCorners(angText: string, mtl: Mtl): [number, number][] | undefined {
  const list = (key: string) =>
    new RegExp(`^\\s*${key}\\s*=\\s*\\(([^)]*)\\)`, "m")
      .exec(angText)?.[1]
      ?.split(",")
      .map((v) => Number(v.trim()));
  const lines = list("BAND01_L1T_IMAGE_CORNER_LINES");
  const samps = list("BAND01_L1T_IMAGE_CORNER_SAMPS");
  if (!lines || !samps || lines.length !== 4 || samps.length !== 4) return undefined;
  const num = (k: string) => (mtl.get(k) === undefined ? Number.NaN : Number(mtl.get(k)));
  // Grid positions are pixel centres: the MTL's UL corner is the centre of pixel (0, 0).
  const ulx = num("CORNER_UL_PROJECTION_X_PRODUCT");
  const uly = num("CORNER_UL_PROJECTION_Y_PRODUCT");
  const cell = num("GRID_CELL_SIZE_REFLECTIVE");
  if (![ulx, uly, cell, ...lines, ...samps].every(Number.isFinite)) return undefined;
  const toLonLat = projection(mtl);
  if (!toLonLat) return undefined;
  return lines.map((line, i) => toLonLat(ulx + samps[i]! * cell, uly - line * cell));
}

/** The centre of the product grid as [lon, lat]: USGS centres each WRS scene in its grid. */
export function gridCentre(mtl: Mtl): [number, number] | undefined {
  const num = (k: string) => (mtl.get(k) === undefined ? Number.NaN : Number(mtl.get(k)));
  const x = (num("CORNER_UL_PROJECTION_X_PRODUCT") + num("CORNER_LR_PROJECTION_X_PRODUCT")) / 2;
  const y = (num("CORNER_UL_PROJECTION_Y_PRODUCT") + num("CORNER_LR_PROJECTION_Y_PRODUCT")) / 2;
  const toLonLat = projection(mtl);
  return toLonLat && Number.isFinite(x) && Number.isFinite(y) ? toLonLat(x, y) : undefined;
}

function projection(mtl: Mtl): ((x: number, y: number) => [number, number]) | undefined {
  const kind = mtl.get("MAP_PROJECTION");
  if (kind === "UTM") {
    const zone = Number(mtl.get("UTM_ZONE"));
    return Number.isFinite(zone) ? (x, y) => utmToLonLat(zone, x, y) : undefined;
  }
  if (kind === "PS") {
    const ts = Number(mtl.get("TRUE_SCALE_LAT"));
    const lon0 = Number(mtl.get("VERTICAL_LON_FROM_POLE") ?? 0);
    const fe = Number(mtl.get("FALSE_EASTING") ?? 0);
    const fn = Number(mtl.get("FALSE_NORTHING") ?? 0);
    return Number.isFinite(ts) ? (x, y) => polarStereographicToLonLat(x - fe, y - fn, ts, lon0) : undefined;
  }
  return undefined;
}
