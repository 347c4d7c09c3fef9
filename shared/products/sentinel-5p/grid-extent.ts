// Gridded Sentinel-5P L2 products (O3_TCL) carry no footprint ring: their extent is read from the
// grid's coordinate variables (1-D latitude_*/longitude_* in /PRODUCT), widened by half a cell to the
// cells' edges, as the box the footprint pipeline turns into GeoJSON.
import { ProductError } from "../../errors.ts";
import type { Hdf5File } from "../../hdf5/hdf5-file.ts";
import type { BBox } from "../../stac/types.ts";

const PRODUCT = "/PRODUCT";
const COORDINATE = /^(latitude|longitude)(_\w+)?$/;

/**
 * The union of the extents of every latitude/longitude pair in /PRODUCT; undefined when the product
 * has no 1-D pair (swath products keep 2-D coordinates and a footprint ring instead).
 */
export async function gridExtent(file: Hdf5File): Promise<BBox | undefined> {
  const members = (await file.members(PRODUCT)) ?? [];
  const names = new Set(members.filter((m) => m.kind === "dataset").map((m) => m.name));
  let out: BBox | undefined;
  for (const name of names) {
    const m = COORDINATE.exec(name);
    if (m?.[1] !== "latitude" || !names.has(`longitude${m[2] ?? ""}`)) continue;
    const lat = await coordinate(file, `${PRODUCT}/${name}`);
    const lon = await coordinate(file, `${PRODUCT}/longitude${m[2] ?? ""}`);
    if (!lat || !lon) continue;
    const box = cellBounds(lat, lon);
    out = out
      ? [
          Math.min(out[0], box[0]),
          Math.min(out[1], box[1]),
          Math.max(out[2], box[2]),
          Math.max(out[3], box[3]),
        ]
      : box;
  }
  return out;
}

async function coordinate(file: Hdf5File, path: string): Promise<number[] | undefined> {
  const v = await file.values(path, { maxRank: 1 });
  const values = v?.values?.map(Number);
  if (!values || values.length === 0 || values.some((x) => !Number.isFinite(x))) return undefined;
  return values;
}

/** Cell centres → the box of the cells' edges; a grid spanning the globe's longitudes is -180..180. */
export function cellBounds(lat: number[], lon: number[]): BBox {
  const [south, north] = edges(lat);
  const [west, east] = edges(lon);
  if (east - west >= 360 - 1e-9) return [-180, Math.max(-90, south), 180, Math.min(90, north)];
  if (west < -180 || east > 360)
    throw new ProductError(`grid longitudes ${west}..${east} are outside -180..360`);
  // Grids written 0..360 cross the antimeridian where they pass 180: west > east then.
  return [wrap(west), Math.max(-90, south), wrap(east), Math.min(90, north)];
}

/** Min and max of the centres, widened by half the spacing at each end (one centre: no widening). */
function edges(centres: number[]): [number, number] {
  const lo = Math.min(...centres);
  const hi = Math.max(...centres);
  const half = centres.length > 1 ? (hi - lo) / (centres.length - 1) / 2 : 0;
  return [lo - half, hi + half];
}

const wrap = (x: number): number => (x > 180 ? x - 360 : x);
