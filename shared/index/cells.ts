// H3 cells for the index: a prefix-preserving string per cell (so "all descendants of C" is one
// begins_with), and covers of geometries that are safe across the antimeridian and at the poles.
import {
  compactCells,
  constructCell,
  getHexagonAreaAvg,
  isPentagon,
  latLngToCell,
  POLYGON_TO_CELLS_FLAGS,
  polygonToCellsExperimental,
} from "h3-js";
import { clipRingX } from "../geo/normalize.ts";
import type { Geometry, Position, Ring } from "../stac/types.ts";

/** Base cell as three decimal digits, then one digit 0–6 per resolution: "A prefixes B" ⇔ A is an ancestor of B. */
export function cellToKey(cell: string): string {
  const v = BigInt(`0x${cell}`);
  const res = Number((v >> 52n) & 0xfn);
  const base = Number((v >> 45n) & 0x7fn);
  let s = base.toString().padStart(3, "0");
  for (let r = 1; r <= res; r++) s += Number((v >> BigInt((15 - r) * 3)) & 7n).toString();
  return s;
}

export function keyToCell(key: string): string {
  const base = Number(key.slice(0, 3));
  const digits = [...key.slice(3)].map(Number);
  return constructCell(base, digits, digits.length);
}

export const keyResolution = (key: string): number => key.length - 3;

/** Digits of a key's children: 0–6, or 1–6 below a pentagon (which has no digit-1 child). */
export function childDigits(key: string): string[] {
  const all = ["0", "1", "2", "3", "4", "5", "6"];
  return isPentagon(keyToCell(key)) ? all.filter((d) => d !== "1") : all;
}

/**
 * The root key "" stands for the whole globe (the ancestor of every cell): footprints too large for a
 * handful of base cells are indexed there.
 */
export const ROOT_KEY = "";

/** All ancestors of a cell key, root first, excluding the key itself. */
export function ancestorKeys(key: string): string[] {
  if (key === ROOT_KEY) return [];
  const out: string[] = [ROOT_KEY];
  for (let len = 3; len < key.length; len++) out.push(key.slice(0, len));
  return out;
}

// h3 reads an edge spanning more than 180° of longitude as crossing the antimeridian, and polygons
// around a pole fail; strips at most 90° wide avoid both.
const STRIP = 90;

function stripsOf(polygon: Ring[]): Ring[][] {
  const strips: Ring[][] = [];
  for (let lo = -180; lo < 180; lo += STRIP) {
    const outer = clipRingX(polygon[0]!, lo, lo + STRIP);
    if (outer.length < 4) continue;
    const holes = polygon
      .slice(1)
      .map((h) => clipRingX(h, lo, lo + STRIP))
      .filter((h) => h.length >= 4);
    strips.push([outer, ...holes]);
  }
  return strips;
}

function polygonCells(polygon: Ring[], res: number, into: Set<string>): void {
  for (const strip of stripsOf(polygon)) {
    const cells = polygonToCellsExperimental(
      strip.map((r) => r.map((p) => [p[0], p[1]])),
      res,
      POLYGON_TO_CELLS_FLAGS.containmentOverlapping,
      true,
    );
    for (const c of cells) into.add(c);
    // Overlapping containment may still miss a sliver thinner than a cell: its vertices' cells cover it.
    for (const p of strip[0]!) into.add(latLngToCell(clampLat(p[1]), p[0], res));
  }
}

function lineCells(line: Position[], res: number, into: Set<string>): void {
  // Dense enough sampling that consecutive samples are within one cell edge of each other.
  const step = Math.sqrt(getHexagonAreaAvg(res, "km2")) / 2 / 111;
  for (let i = 0; i < line.length; i++) {
    const a = line[i]!;
    into.add(latLngToCell(clampLat(a[1]), a[0], res));
    const b = line[i + 1];
    if (!b) continue;
    const n = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / step);
    for (let k = 1; k < n; k++) {
      const t = k / n;
      into.add(latLngToCell(clampLat(a[1] + t * (b[1] - a[1])), a[0] + t * (b[0] - a[0]), res));
    }
  }
}

const clampLat = (lat: number) => Math.max(-90, Math.min(90, lat));

/** Every cell at `res` that the geometry (normal form) touches, uncompacted. */
export function coverCells(g: Geometry, res: number): Set<string> {
  const out = new Set<string>();
  const walk = (x: Geometry): void => {
    switch (x.type) {
      case "Point":
        out.add(latLngToCell(clampLat(x.coordinates[1]), x.coordinates[0], res));
        break;
      case "MultiPoint":
        for (const p of x.coordinates) out.add(latLngToCell(clampLat(p[1]), p[0], res));
        break;
      case "LineString":
        lineCells(x.coordinates, res, out);
        break;
      case "MultiLineString":
        for (const l of x.coordinates) lineCells(l, res, out);
        break;
      case "Polygon":
        polygonCells(x.coordinates, res, out);
        break;
      case "MultiPolygon":
        for (const p of x.coordinates) polygonCells(p, res, out);
        break;
      case "GeometryCollection":
        x.geometries.forEach(walk);
        break;
    }
  };
  walk(g);
  return out;
}

const areaCovers = new WeakMap<Geometry, Map<number, readonly string[]>>();

/**
 * Keys of the cells at `res` that a search area touches (coverCells), computed once per geometry
 * object: a search asks for the same covers while it reads row counts, tile footprints and plans.
 */
export function areaCoverKeys(g: Geometry, res: number): readonly string[] {
  const byRes = areaCovers.get(g) ?? new Map<number, readonly string[]>();
  areaCovers.set(g, byRes);
  const keys = byRes.get(res) ?? [...coverCells(g, res)].map(cellToKey);
  byRes.set(res, keys);
  return keys;
}

/** Rough area of a geometry in km² (planar on lon/lat, scaled by latitude): enough to choose a resolution. */
export function approxAreaKm2(g: Geometry): number {
  const ringArea = (r: Ring): number => {
    let a = 0;
    let lat = 0;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      a += (r[j]![0] + r[i]![0]) * (r[j]![1] - r[i]![1]);
      lat += r[i]![1];
    }
    const meanLat = (lat / Math.max(1, r.length)) * (Math.PI / 180);
    return Math.abs(a / 2) * 111.32 * 111.32 * Math.max(0.05, Math.cos(meanLat));
  };
  switch (g.type) {
    case "Polygon":
      return ringArea(g.coordinates[0]!);
    case "MultiPolygon":
      return g.coordinates.reduce((s, p) => s + ringArea(p[0]!), 0);
    case "GeometryCollection":
      return g.geometries.reduce((s, x) => s + approxAreaKm2(x), 0);
    default:
      return 0;
  }
}

/**
 * The finest resolution in [minRes, maxRes] whose compacted cover has at most `maxCells` cells, and
 * that cover as keys. Starts from an area estimate so that huge footprints never touch fine resolutions.
 */
export function adaptiveCover(
  g: Geometry,
  opts: { maxCells: number; minRes: number; maxRes: number },
): { res: number; keys: string[] } {
  const area = approxAreaKm2(g);
  let res = opts.maxRes;
  while (res > opts.minRes && area / getHexagonAreaAvg(res, "km2") > opts.maxCells) res--;
  for (;;) {
    const cells = compactCells([...coverCells(g, res)]);
    if (res === opts.minRes && cells.length > opts.maxCells) return { res: -1, keys: [ROOT_KEY] };
    if (cells.length <= opts.maxCells) {
      return { res, keys: cells.map(cellToKey).sort() };
    }
    res--;
  }
}
