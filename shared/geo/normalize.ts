// Normal form for geometries on the index's plane: all longitudes within [-180, 180], with anything
// that crosses the antimeridian split into parts on either side. Readers, the index and the search
// post-filter all work on this form, so "crosses 180" is handled once, here.
import type { BBox, Geometry, MultiPolygon, Polygon, Position, Ring } from "../stac/types.ts";

/** Clip a ring to the vertical band xmin ≤ x ≤ xmax (Sutherland–Hodgman against two half-planes). */
export function clipRingX(ring: Ring, xmin: number, xmax: number): Ring {
  const clip = (pts: Position[], keep: (p: Position) => boolean, x: number): Position[] => {
    const out: Position[] = [];
    for (let i = 0; i < pts.length; i++) {
      const cur = pts[i]!;
      const prev = pts[(i + pts.length - 1) % pts.length]!;
      const cin = keep(cur);
      const pin = keep(prev);
      if (cin !== pin) {
        const t = (x - prev[0]) / (cur[0] - prev[0]);
        out.push([x, prev[1] + t * (cur[1] - prev[1])]);
      }
      if (cin) out.push([cur[0], cur[1]]);
    }
    return out;
  };
  let pts = openRing(ring);
  pts = clip(pts, (p) => p[0] >= xmin, xmin);
  pts = clip(pts, (p) => p[0] <= xmax, xmax);
  return pts.length >= 3 ? closeRing(pts) : [];
}

function openRing(ring: Ring): Position[] {
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first && last && ring.length > 1 && first[0] === last[0] && first[1] === last[1])
    return ring.slice(0, -1);
  return ring.slice();
}

function closeRing(pts: Position[]): Ring {
  const first = pts[0]!;
  return [...pts, [first[0], first[1]]];
}

/** Makes a ring continuous in longitude: a step of more than 180° is taken as crossing the antimeridian. */
function unwrapRing(ring: Ring): Ring {
  const out: Ring = [];
  let offset = 0;
  let prev: number | undefined;
  for (const p of ring) {
    let x = p[0] + offset;
    if (prev !== undefined) {
      while (x - prev > 180) {
        offset -= 360;
        x -= 360;
      }
      while (prev - x > 180) {
        offset += 360;
        x += 360;
      }
    }
    out.push([x, p[1]]);
    prev = x;
  }
  return out;
}

function splitPolygon(poly: Ring[]): Ring[][] {
  const rings = poly.map(unwrapRing);
  const outer = rings[0];
  if (!outer || outer.length < 4) return [];
  let minX = Infinity;
  let maxX = -Infinity;
  for (const [x] of outer) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
  }
  if (minX >= -180 && maxX <= 180) return [poly.map((r) => r.map((p) => [p[0], p[1]] as Position))];
  const parts: Ring[][] = [];
  // Each 360° window that the unwrapped ring touches becomes one part, shifted back into [-180, 180].
  for (let k = Math.floor((minX + 180) / 360); k <= Math.floor((maxX + 180) / 360); k++) {
    const lo = -180 + 360 * k;
    const shift = (r: Ring): Ring => r.map((p) => [p[0] - 360 * k, p[1]] as Position);
    const clippedOuter = clipRingX(outer, lo, lo + 360);
    if (clippedOuter.length < 4) continue;
    const holes = rings
      .slice(1)
      .map((h) => clipRingX(h, lo, lo + 360))
      .filter((h) => h.length >= 4);
    parts.push([shift(clippedOuter), ...holes.map(shift)]);
  }
  return parts;
}

/** Normal form of any geometry: polygons split at the antimeridian, points wrapped into range. */
export function normalizeGeometry(g: Geometry): Geometry {
  switch (g.type) {
    case "Polygon": {
      const parts = splitPolygon(g.coordinates);
      return parts.length === 1
        ? { type: "Polygon", coordinates: parts[0]! }
        : { type: "MultiPolygon", coordinates: parts };
    }
    case "MultiPolygon": {
      const parts = g.coordinates.flatMap(splitPolygon);
      return { type: "MultiPolygon", coordinates: parts };
    }
    case "Point":
      return { type: "Point", coordinates: [wrapLon(g.coordinates[0]), g.coordinates[1]] };
    case "MultiPoint":
      return { type: "MultiPoint", coordinates: g.coordinates.map((p) => [wrapLon(p[0]), p[1]] as Position) };
    case "GeometryCollection":
      return { type: "GeometryCollection", geometries: g.geometries.map(normalizeGeometry) };
    default:
      return g;
  }
}

export function wrapLon(x: number): number {
  if (x >= -180 && x <= 180) return x;
  return ((((x + 180) % 360) + 360) % 360) - 180;
}

/**
 * A STAC bbox as polygons; west > east crosses the antimeridian and gives two boxes. A bbox's edges
 * follow its parallels however wide it is, so the south and north edges get a vertex at least every
 * 90° of longitude: without them an edge wider than 180° would read as the short way round, across
 * the antimeridian, and the box as its complement.
 */
export function bboxToGeometry(b: BBox): Polygon | MultiPolygon {
  const box = (w: number, s: number, e: number, n: number): Ring[] => {
    const steps = Math.max(1, Math.ceil((e - w) / 90));
    const xs = Array.from({ length: steps + 1 }, (_, i) => (i === steps ? e : w + ((e - w) * i) / steps));
    return [[...xs.map((x) => [x, s] as Position), ...xs.reverse().map((x) => [x, n] as Position), [w, s]]];
  };
  const [w, s, e, n] = b;
  if (w <= e) return { type: "Polygon", coordinates: box(w, s, e, n) };
  return { type: "MultiPolygon", coordinates: [box(w, s, 180, n), box(-180, s, e, n)] };
}

/** The bbox of a geometry in normal form; parts on both sides of ±180 give west > east. */
export function geometryBBox(g: Geometry): BBox {
  const xs: number[] = [];
  const ys: number[] = [];
  const visit = (p: Position) => {
    xs.push(p[0]);
    ys.push(p[1]);
  };
  const walk = (x: Geometry): void => {
    switch (x.type) {
      case "Point":
        visit(x.coordinates);
        break;
      case "MultiPoint":
      case "LineString":
        x.coordinates.forEach(visit);
        break;
      case "MultiLineString":
      case "Polygon":
        for (const r of x.coordinates) r.forEach(visit);
        break;
      case "MultiPolygon":
        for (const poly of x.coordinates) for (const r of poly) r.forEach(visit);
        break;
      case "GeometryCollection":
        x.geometries.forEach(walk);
        break;
    }
  };
  walk(g);
  const s = Math.min(...ys);
  const n = Math.max(...ys);
  const w = Math.min(...xs);
  const e = Math.max(...xs);
  // Parts touching both +180 and -180 with a gap between them: report the box that crosses the antimeridian.
  if (w <= -180 + 1e-9 && e >= 180 - 1e-9) {
    const east = xs.filter((x) => x >= 0);
    const west = xs.filter((x) => x < 0);
    const eastMin = Math.min(...east);
    const westMax = Math.max(...west);
    if (eastMin > westMax && eastMin - westMax > 180) return [eastMin, s, westMax, n];
  }
  return [w, s, e, n];
}
