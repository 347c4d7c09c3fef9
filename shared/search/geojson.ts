// Validation of user-supplied GeoJSON geometries and bboxes, with messages that say what to fix.
import { BadRequestError } from "../errors.ts";
import type { BBox, Geometry, Position } from "../stac/types.ts";

function position(v: unknown, where: string): Position {
  if (
    !Array.isArray(v) ||
    v.length < 2 ||
    v.length > 3 ||
    !v.every((n) => typeof n === "number" && Number.isFinite(n))
  )
    throw new BadRequestError(`${where}: a position must be [longitude, latitude] numbers`);
  const [x, y] = v as number[];
  if (x! < -180 || x! > 180 || y! < -90 || y! > 90)
    throw new BadRequestError(
      `${where}: position [${x}, ${y}] is out of range (longitude -180..180, latitude -90..90)`,
    );
  return v as Position;
}

function positions(v: unknown, where: string, min: number): Position[] {
  if (!Array.isArray(v)) throw new BadRequestError(`${where}: expected an array of positions`);
  const out = v.map((p, i) => position(p, `${where}[${i}]`));
  if (out.length < min)
    throw new BadRequestError(`${where}: needs at least ${min} positions, got ${out.length}`);
  return out;
}

function ring(v: unknown, where: string): Position[] {
  const r = positions(v, where, 4);
  const a = r[0]!;
  const b = r[r.length - 1]!;
  if (a[0] !== b[0] || a[1] !== b[1])
    throw new BadRequestError(`${where}: a linear ring must be closed (first position = last)`);
  return r;
}

function rings(v: unknown, where: string): Position[][] {
  if (!Array.isArray(v) || v.length === 0)
    throw new BadRequestError(`${where}: a polygon needs at least one ring`);
  return v.map((r, i) => ring(r, `${where}[${i}]`));
}

/**
 * Positions one search geometry may have: every candidate row is tested against each edge, so the
 * cost of a request must not grow with whatever a caller sends. Country outlines fit comfortably.
 */
export const MAX_POSITIONS = 10_000;

export function countPositions(g: Geometry): number {
  if (g.type === "GeometryCollection") return g.geometries.reduce((n, x) => n + countPositions(x), 0);
  if (g.type === "Point") return 1;
  if (g.type === "MultiPoint" || g.type === "LineString") return g.coordinates.length;
  if (g.type === "MultiPolygon") return g.coordinates.flat(2).length;
  return g.coordinates.flat(1).length;
}

export function parseGeometry(v: unknown, where = "intersects"): Geometry {
  const g = parseGeometryPart(v, where);
  const n = countPositions(g);
  if (n > MAX_POSITIONS)
    throw new BadRequestError(
      `${where}: ${n} positions; a search geometry may have at most ${MAX_POSITIONS}`,
    );
  return g;
}

function parseGeometryPart(v: unknown, where: string): Geometry {
  if (typeof v !== "object" || v === null || Array.isArray(v))
    throw new BadRequestError(`${where}: expected a GeoJSON geometry object`);
  const g = v as { type?: unknown; coordinates?: unknown; geometries?: unknown };
  const c = `${where}.coordinates`;
  switch (g.type) {
    case "Point":
      return { type: "Point", coordinates: position(g.coordinates, c) };
    case "MultiPoint":
      return { type: "MultiPoint", coordinates: positions(g.coordinates, c, 1) };
    case "LineString":
      return { type: "LineString", coordinates: positions(g.coordinates, c, 2) };
    case "MultiLineString":
      if (!Array.isArray(g.coordinates)) throw new BadRequestError(`${c}: expected an array of line strings`);
      return {
        type: "MultiLineString",
        coordinates: g.coordinates.map((l, i) => positions(l, `${c}[${i}]`, 2)),
      };
    case "Polygon":
      return { type: "Polygon", coordinates: rings(g.coordinates, c) };
    case "MultiPolygon":
      if (!Array.isArray(g.coordinates) || g.coordinates.length === 0)
        throw new BadRequestError(`${c}: expected an array of polygons`);
      return { type: "MultiPolygon", coordinates: g.coordinates.map((p, i) => rings(p, `${c}[${i}]`)) };
    case "GeometryCollection":
      if (!Array.isArray(g.geometries)) throw new BadRequestError(`${where}.geometries: expected an array`);
      return {
        type: "GeometryCollection",
        geometries: g.geometries.map((x, i) => parseGeometryPart(x, `${where}.geometries[${i}]`)),
      };
    default:
      throw new BadRequestError(
        `${where}.type: '${String(g.type)}' is not a GeoJSON geometry type (Point, LineString, Polygon, Multi*, GeometryCollection)`,
      );
  }
}

/** STAC bbox: 4 numbers (2D) or 6 (3D); west > east crosses the antimeridian. */
export function parseBBox(v: unknown): BBox {
  const nums =
    typeof v === "string" ? v.split(",").map((s) => (s.trim() === "" ? Number.NaN : Number(s))) : v;
  if (!Array.isArray(nums) || (nums.length !== 4 && nums.length !== 6))
    throw new BadRequestError("bbox: expected 4 numbers (west,south,east,north) or 6 with heights");
  if (!nums.every((n) => typeof n === "number" && Number.isFinite(n)))
    throw new BadRequestError(`bbox: every value must be a number, got ${JSON.stringify(v)}`);
  const [w, s, e, n] = (nums.length === 4 ? nums : [nums[0], nums[1], nums[3], nums[4]]) as number[];
  if (w! < -180 || w! > 180 || e! < -180 || e! > 180)
    throw new BadRequestError("bbox: longitudes must be within -180..180");
  if (s! < -90 || s! > 90 || n! < -90 || n! > 90)
    throw new BadRequestError("bbox: latitudes must be within -90..90");
  if (s! > n!) throw new BadRequestError(`bbox: south (${s}) is greater than north (${n})`);
  return [w!, s!, e!, n!];
}
