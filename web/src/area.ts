// A search area (the API's `intersects`): read from pasted WKT or GeoJSON with messages that say what is
// wrong, put in the API's normal form (longitudes within ±180°, split at the antimeridian), and drawn.
import type { MultiPolygon, Position } from "geojson";
import { normalizeGeometry } from "../../shared/geo/normalize.ts";
import type { Geometry as ApiGeometry } from "../../shared/stac/types.ts";
import { closeAroundPole, unwrapRing } from "./basemap.ts";
import { AreaError, type Polygons, parseWkt } from "./wkt.ts";

export { AreaError };

/** Positions the page keeps in its URL for an area; more are simplified (API Gateway caps a URL near 10 KB). */
export const URL_POSITIONS = 250;

const where = (p: number, r: number) => `polygon ${p + 1}, ring ${r + 1}`;

/**
 * Checks every ring: closed, at least 4 points, `dims` numbers each (WKT: 2, 3 with Z or M, 4 with ZM;
 * 0 for GeoJSON: 2 or 3), latitudes in range.
 */
export function checkPolygons(polygons: Polygons, dims = 2): Polygons {
  if (polygons.length === 0) throw new AreaError("no polygon given");
  return polygons.map((rings, p) => {
    if (!Array.isArray(rings) || rings.length === 0) throw new AreaError(`polygon ${p + 1} has no ring`);
    return rings.map((ring, r) => {
      const at = where(p, r);
      if (!Array.isArray(ring)) throw new AreaError(`${at}: expected a list of points`);
      const out = ring.map((pt, i) => {
        if (!Array.isArray(pt) || !pt.every((v) => typeof v === "number" && Number.isFinite(v)))
          throw new AreaError(`${at}, point ${i + 1}: expected numbers [longitude, latitude]`);
        // GeoJSON (dims 0) may add an altitude; WKT says so with Z or M.
        if (dims === 0 ? pt.length !== 2 && pt.length !== 3 : pt.length !== dims)
          throw new AreaError(
            pt.length > dims && pt.length % 2 === 0
              ? `${at}, point ${i + 1}: ${pt.length} numbers where one point has ${dims || 2}; separate points with commas`
              : `${at}, point ${i + 1}: ${pt.length} number${pt.length === 1 ? "" : "s"}; a point is longitude and latitude`,
          );
        const [lon = 0, lat = 0] = pt;
        if (lat < -90 || lat > 90)
          throw new AreaError(
            `${at}, point ${i + 1}: latitude ${lat} is outside -90..90 (points are longitude first, then latitude)`,
          );
        if (lon < -540 || lon > 540)
          throw new AreaError(`${at}, point ${i + 1}: longitude ${lon} is outside -540..540`);
        return [lon, lat];
      });
      if (out.length < 4)
        throw new AreaError(
          `${at}: ${out.length} point${out.length === 1 ? "" : "s"}; a ring needs at least 4 (3 corners, then the first again)`,
        );
      const a = out[0]!;
      const b = out[out.length - 1]!;
      if (a[0] !== b[0] || a[1] !== b[1])
        throw new AreaError(
          `${at} is not closed: it starts at ${a.join(" ")} and ends at ${b.join(" ")}; repeat the first point at the end`,
        );
      return out;
    });
  });
}

/** The polygons of a GeoJSON geometry, Feature or FeatureCollection. */
function geoJsonPolygons(v: unknown, path = "the GeoJSON"): Polygons {
  if (typeof v !== "object" || v === null) throw new AreaError(`${path} is not an object`);
  const o = v as {
    type?: unknown;
    coordinates?: unknown;
    geometry?: unknown;
    features?: unknown;
    geometries?: unknown;
  };
  switch (o.type) {
    case "Polygon":
      if (!Array.isArray(o.coordinates)) throw new AreaError(`${path}: coordinates must be a list of rings`);
      return [o.coordinates as number[][][]];
    case "MultiPolygon":
      if (!Array.isArray(o.coordinates))
        throw new AreaError(`${path}: coordinates must be a list of polygons`);
      return o.coordinates as Polygons;
    case "Feature":
      if (!o.geometry) throw new AreaError(`${path}: the Feature has no geometry`);
      return geoJsonPolygons(o.geometry, `${path}'s geometry`);
    case "FeatureCollection":
      if (!Array.isArray(o.features) || o.features.length === 0)
        throw new AreaError(`${path}: the FeatureCollection has no features`);
      return o.features.flatMap((f, i) => geoJsonPolygons(f, `feature ${i + 1}`));
    case "GeometryCollection":
      if (!Array.isArray(o.geometries)) throw new AreaError(`${path}: geometries must be a list`);
      return o.geometries.flatMap((g, i) => geoJsonPolygons(g, `geometry ${i + 1}`));
    case "Point":
    case "MultiPoint":
    case "LineString":
    case "MultiLineString":
      throw new AreaError(`${path} is a ${o.type}, which has no area: give a Polygon or a MultiPolygon`);
    default:
      throw new AreaError(`${path}: type '${String(o.type)}' is not a GeoJSON type`);
  }
}

/** The area in pasted text: WKT (POLYGON, MULTIPOLYGON) or GeoJSON (geometry, Feature, FeatureCollection). */
export function parseAreaText(text: string): MultiPolygon {
  const t = text.trim();
  if (t === "") throw new AreaError("nothing pasted");
  if (t.startsWith("{") || t.startsWith("[")) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch (err) {
      throw new AreaError(`not valid JSON: ${(err as Error).message}`);
    }
    return normalArea(checkPolygons(geoJsonPolygons(json), 0));
  }
  const { polygons, dims } = parseWkt(t);
  return normalArea(checkPolygons(polygons, dims));
}

/** Extra vertices so that no edge spans more than 90° of longitude (a longer one reads as crossing 180°). */
function densify(ring: Position[]): Position[] {
  const out: Position[] = [];
  ring.forEach((p, i) => {
    const prev = ring[i - 1];
    if (prev) {
      const steps = Math.ceil(Math.abs(p[0]! - prev[0]!) / 90);
      for (let k = 1; k < steps; k++)
        out.push([prev[0]! + ((p[0]! - prev[0]!) * k) / steps, prev[1]! + ((p[1]! - prev[1]!) * k) / steps]);
    }
    out.push([p[0]!, p[1]!]);
  });
  return out;
}

/**
 * The API's normal form of polygons, split at ±180° into parts within range. Given on the sphere (every
 * longitude within ±180°), a step over 180° crosses the antimeridian, as the API reads it, and a ring
 * around a pole is closed through it; given on the plane (as drawn on the map, or with longitudes past
 * ±180°), edges are taken as they are, however long.
 */
export function normalArea(polygons: Polygons, opts: { planar?: boolean } = {}): MultiPolygon {
  const planar = opts.planar ?? polygons.flat(2).some((p) => Math.abs(p[0]!) > 180);
  const rings = polygons.map((rs) => rs.map((r) => densify(planar ? r : closeAroundPole(unwrapRing(r)))));
  const g = normalizeGeometry({ type: "MultiPolygon", coordinates: rings } as ApiGeometry) as MultiPolygon;
  return { type: "MultiPolygon", coordinates: g.coordinates.filter((p) => p.length > 0) };
}

/**
 * The area drawn as one shape on the plane: parts split at the antimeridian on its west side move east by
 * 360°, next to the parts that end at +180°. Parts spanning the whole width (around a pole) stay.
 */
export function displayArea(area: MultiPolygon): MultiPolygon {
  const xs = (p: Position[][]) => p[0]!.map((q) => q[0]!);
  const eastEdge = area.coordinates.some((p) => Math.max(...xs(p)) === 180 && Math.min(...xs(p)) > -180);
  if (!eastEdge) return area;
  return {
    type: "MultiPolygon",
    coordinates: area.coordinates.map((p) =>
      Math.min(...xs(p)) === -180 && Math.max(...xs(p)) < 180
        ? p.map((r) => r.map(([x = 0, y = 0]) => [x + 360, y]))
        : p,
    ),
  };
}

export const positionCount = (area: MultiPolygon) => area.coordinates.flat(2).length;

/** Douglas–Peucker on an open polyline, keeping the ends. */
function simplifyLine(pts: Position[], tolerance: number): Position[] {
  if (pts.length < 3) return pts;
  const [a, b] = [pts[0]!, pts[pts.length - 1]!];
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const len = Math.hypot(dx, dy);
  let worst = 0;
  let at = 0;
  for (let i = 1; i < pts.length - 1; i++) {
    const p = pts[i]!;
    const d =
      len === 0
        ? Math.hypot(p[0]! - a[0]!, p[1]! - a[1]!)
        : Math.abs(dy * (p[0]! - a[0]!) - dx * (p[1]! - a[1]!)) / len;
    if (d > worst) [worst, at] = [d, i];
  }
  if (worst <= tolerance) return [a, b];
  return [
    ...simplifyLine(pts.slice(0, at + 1), tolerance).slice(0, -1),
    ...simplifyLine(pts.slice(at), tolerance),
  ];
}

/** A closed ring simplified (its two halves, so that the ends stay put); undefined when it collapses. */
function simplifyRing(r: Position[], tolerance: number): Position[] | undefined {
  const mid = Math.floor(r.length / 2);
  const s = [
    ...simplifyLine(r.slice(0, mid + 1), tolerance).slice(0, -1),
    ...simplifyLine(r.slice(mid), tolerance),
  ];
  return s.length >= 4 ? s : undefined;
}

/** The area with at most `max` positions, simplified with a tolerance doubled until it fits. */
export function simplifyArea(area: MultiPolygon, max = URL_POSITIONS): MultiPolygon {
  let out = area;
  for (let tol = 0.001; positionCount(out) > max && tol < 45; tol *= 2) {
    const coordinates = area.coordinates.flatMap((p) => {
      const [outer, ...holes] = p.map((r) => simplifyRing(r, tol));
      return outer ? [[outer, ...holes.filter((h): h is Position[] => h !== undefined)]] : [];
    });
    if (coordinates.length === 0) break;
    out = { type: "MultiPolygon", coordinates };
  }
  return out;
}
