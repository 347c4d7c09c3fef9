// Exact planar geometry on lon/lat for the post-filter that follows the H3 pre-filter. Geometries are
// expected in normal form (see normalize.ts): every part within [-180, 180], antimeridian-crossing
// footprints split into parts.
import type { BBox, Geometry, Position, Ring } from "../stac/types.ts";

/** A geometry flattened into the three primitive kinds the predicates work on. */
export interface Parts {
  points: Position[];
  lines: Position[][];
  polygons: Ring[][];
}

export function toParts(g: Geometry, out: Parts = { points: [], lines: [], polygons: [] }): Parts {
  switch (g.type) {
    case "Point":
      out.points.push(g.coordinates);
      break;
    case "MultiPoint":
      out.points.push(...g.coordinates);
      break;
    case "LineString":
      out.lines.push(g.coordinates);
      break;
    case "MultiLineString":
      out.lines.push(...g.coordinates);
      break;
    case "Polygon":
      out.polygons.push(g.coordinates);
      break;
    case "MultiPolygon":
      out.polygons.push(...g.coordinates);
      break;
    case "GeometryCollection":
      for (const child of g.geometries) toParts(child, out);
      break;
  }
  return out;
}

function orient(a: Position, b: Position, c: Position): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-12 ? 0 : Math.sign(v);
}

function onSegment(a: Position, b: Position, p: Position): boolean {
  return (
    Math.min(a[0], b[0]) - 1e-12 <= p[0] &&
    p[0] <= Math.max(a[0], b[0]) + 1e-12 &&
    Math.min(a[1], b[1]) - 1e-12 <= p[1] &&
    p[1] <= Math.max(a[1], b[1]) + 1e-12
  );
}

/** Closed segments [a,b] and [c,d] share at least one point. */
export function segmentsIntersect(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  if (o1 === 0 && onSegment(a, b, c)) return true;
  if (o2 === 0 && onSegment(a, b, d)) return true;
  if (o3 === 0 && onSegment(c, d, a)) return true;
  if (o4 === 0 && onSegment(c, d, b)) return true;
  return false;
}

/** Point in ring by crossing number; points on the boundary count as inside. */
function inRing(p: Position, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (orient(a, b, p) === 0 && onSegment(a, b, p)) return true;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) {
      inside = !inside;
    }
  }
  return inside;
}

function onRingBoundary(p: Position, ring: Ring): boolean {
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    if (orient(ring[i]!, ring[j]!, p) === 0 && onSegment(ring[i]!, ring[j]!, p)) return true;
  }
  return false;
}

export function pointInPolygon(p: Position, polygon: Ring[]): boolean {
  const [outer, ...holes] = polygon;
  if (!outer || !inRing(p, outer)) return false;
  return holes.every((h) => !inRing(p, h) || onRingBoundary(p, h));
}

function* edges(path: Position[]): Generator<[Position, Position]> {
  for (let i = 1; i < path.length; i++) yield [path[i - 1]!, path[i]!];
}

function pathsCross(a: Position[], b: Position[]): boolean {
  for (const [p, q] of edges(a))
    for (const [r, s] of edges(b)) if (segmentsIntersect(p, q, r, s)) return true;
  return false;
}

function lineTouchesPolygon(line: Position[], polygon: Ring[]): boolean {
  if (line.some((p) => pointInPolygon(p, polygon))) return true;
  return polygon.some((ring) => pathsCross(line, ring));
}

function polygonsIntersect(a: Ring[], b: Ring[]): boolean {
  if (!bboxesOverlap(ringBBox(a[0]!), ringBBox(b[0]!))) return false;
  for (const ra of a) for (const rb of b) if (pathsCross(ra, rb)) return true;
  const pa = a[0]?.[0];
  const pb = b[0]?.[0];
  return (pa !== undefined && pointInPolygon(pa, b)) || (pb !== undefined && pointInPolygon(pb, a));
}

function samePoint(p: Position, q: Position): boolean {
  return Math.abs(p[0] - q[0]) < 1e-12 && Math.abs(p[1] - q[1]) < 1e-12;
}

/** True when the two geometries share at least one point. */
export function intersects(a: Geometry, b: Geometry): boolean {
  const pa = toParts(a);
  const pb = toParts(b);
  for (const poly of pa.polygons) {
    if (pb.polygons.some((q) => polygonsIntersect(poly, q))) return true;
    if (pb.lines.some((l) => lineTouchesPolygon(l, poly))) return true;
    if (pb.points.some((p) => pointInPolygon(p, poly))) return true;
  }
  for (const line of pa.lines) {
    if (pb.polygons.some((q) => lineTouchesPolygon(line, q))) return true;
    if (pb.lines.some((l) => pathsCross(line, l))) return true;
    if (pb.points.some((p) => [...edges(line)].some(([s, t]) => orient(s, t, p) === 0 && onSegment(s, t, p))))
      return true;
  }
  for (const p of pa.points) {
    if (pb.polygons.some((q) => pointInPolygon(p, q))) return true;
    if (pb.lines.some((l) => [...edges(l)].some(([s, t]) => orient(s, t, p) === 0 && onSegment(s, t, p))))
      return true;
    if (pb.points.some((q) => samePoint(p, q))) return true;
  }
  return false;
}

export function ringBBox(ring: Position[]): BBox {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [x, y] of ring) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

export function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
