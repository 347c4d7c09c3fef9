// The offline basemap's land, made drawable on a flat map. world-atlas keeps Natural Earth's rings whole
// on the sphere: a ring across the antimeridian jumps from +180 to -180, which a planar renderer fills as
// a band around the world, and Antarctica's ring circles the pole without closing on the plane.
import type { MultiPolygon, Polygon, Position } from "geojson";

/** The ring with its longitudes made continuous (jumps of more than 180° undone by ±360°). */
export function unwrapRing(ring: Position[]): Position[] {
  let offset = 0;
  let prev: number | undefined;
  return ring.map(([lng = 0, lat = 0]) => {
    if (prev !== undefined) {
      const d = lng + offset - prev;
      if (d > 180) offset -= 360;
      else if (d < -180) offset += 360;
    }
    prev = lng + offset;
    return [prev, lat];
  });
}

/** A ring around a pole, after unwrapping, ends 360° from where it began: close it through the pole. */
export function closeAroundPole(ring: Position[]): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (!first || !last || Math.abs(last[0]! - first[0]!) < 359) return ring;
  const meanLat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length;
  const pole = meanLat < 0 ? -90 : 90;
  return [...ring, [last[0]!, pole], [first[0]!, pole], first];
}

const shift = (ring: Position[], by: number) => ring.map(([lng = 0, lat = 0]) => [lng + by, lat]);

/**
 * Polygons drawable on the plane: rings unwrapped and closed around the poles, and whatever reaches past
 * ±180° repeated on the other side, so that both edges of the map show it.
 */
export function planarLand(geometry: Polygon | MultiPolygon): MultiPolygon {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const out: Position[][][] = [];
  for (const polygon of polygons) {
    const rings = polygon.map((r) => closeAroundPole(unwrapRing(r)));
    out.push(rings);
    const lngs = rings.flat().map((p) => p[0]!);
    if (Math.max(...lngs) > 180) out.push(rings.map((r) => shift(r, -360)));
    if (Math.min(...lngs) < -180) out.push(rings.map((r) => shift(r, 360)));
  }
  return { type: "MultiPolygon", coordinates: out };
}

/**
 * A footprint the API split at the antimeridian (a MultiPolygon with parts on both sides of 180°), joined
 * again on the plane: the parts at -180° move east by 360°, so the map draws one shape, not two far apart.
 */
export function joinAtAntimeridian<G extends { type: string }>(geometry: G): G {
  if (geometry.type !== "MultiPolygon") return geometry;
  const parts = (geometry as unknown as MultiPolygon).coordinates;
  const lngs = (p: Position[][]) => p.flat().map((q) => q[0]!);
  const touchesEast = parts.some((p) => Math.max(...lngs(p)) === 180);
  const touchesWest = parts.some((p) => Math.min(...lngs(p)) === -180);
  if (!touchesEast || !touchesWest) return geometry;
  const coordinates = parts.map((p) => (Math.min(...lngs(p)) === -180 ? p.map((r) => shift(r, 360)) : p));
  return { ...geometry, coordinates };
}
