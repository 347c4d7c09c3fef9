// A ring on the sphere drawn on the lon/lat plane as GeoJSON wants it: within [-180, 180] × [-90, 90],
// cut where it crosses the antimeridian, closed along the map's edge (over a pole where it goes round one).
import { ProductError } from "../errors.ts";
import type { Geometry, Position, Ring } from "../stac/types.ts";
import { lonStep } from "./sphere.ts";

type XY = [number, number];

/**
 * The ring's left-hand region drawn on the lon/lat plane, within [-180, 180] × [-90, 90]. The ring is
 * cut where it crosses the antimeridian into arcs that each run from one edge of the map to an edge;
 * the region's boundary then goes from where one arc leaves the map, counter-clockwise round the map's
 * edge (over a pole when it passes the top or bottom), to where the next arc enters. So whether a pole
 * is inside follows from the arcs, and a ring crossing the antimeridian any number of times is drawn
 * right. A ring that never crosses it is the polygon itself, or, when its left side holds both poles,
 * the world with it as a hole.
 */
export function planarGeometry(ring: XY[]): Geometry {
  const n = ring.length;
  const crosses = (i: number) => Math.abs(ring[(i + 1) % n]![0] - ring[i]![0]) > 180;
  const first = ring.findIndex((_, i) => crosses(i));
  if (first < 0) {
    if (shoelace(ring) > 0) return polygons([ring]);
    return { type: "Polygon", coordinates: [close(WORLD), close(ring)] };
  }
  // Arcs, each from an entry point on one edge of the map to an exit point on an edge.
  const arcs: XY[][] = [];
  let current: XY[] | undefined;
  for (let k = 1; k <= n; k++) {
    const i = (first + k) % n;
    const prev = ring[(i + n - 1) % n]!;
    const p = ring[i]!;
    if (crosses((i + n - 1) % n)) {
      const edge = prev[0] > 0 ? 180 : -180;
      const x = prev[0] + lonStep(prev[0], p[0]);
      const lat = prev[1] + ((edge - prev[0]) / (x - prev[0])) * (p[1] - prev[1]);
      if (current) current.push([edge, lat]);
      current = [[-edge, lat]];
      arcs.push(current);
    }
    current!.push(p);
  }
  // The last arc ends where the first crossing leaves the map.
  const a = ring[first]!;
  const b = ring[(first + 1) % n]!;
  const edge = a[0] > 0 ? 180 : -180;
  const x = a[0] + lonStep(a[0], b[0]);
  current!.push([edge, a[1] + ((edge - a[0]) / (x - a[0])) * (b[1] - a[1])]);
  arcs.push(arcs.shift()!);
  const rings: XY[][] = [];
  const used = new Set<number>();
  for (let start = 0; start < arcs.length; start++) {
    if (used.has(start)) continue;
    const out: XY[] = [];
    let at = start;
    for (let guard = 0; guard <= arcs.length; guard++) {
      used.add(at);
      const arc = arcs[at]!;
      out.push(...arc);
      const exit = perimeter(arc.at(-1)!);
      // The next entry counter-clockwise round the map's edge from this exit.
      let next = -1;
      let best = Infinity;
      arcs.forEach((c, k) => {
        const d = (((perimeter(c[0]!) - exit) % PERIMETER) + PERIMETER) % PERIMETER;
        if (d < best) [best, next] = [d, k];
      });
      const passed = CORNERS.map((c) => ({ p: c.p, d: (((c.s - exit) % PERIMETER) + PERIMETER) % PERIMETER }))
        .filter((c) => c.d > 0 && c.d < best)
        .sort((u, v) => u.d - v.d);
      for (const c of passed) out.push(c.p);
      at = next;
      if (at === start) break;
    }
    rings.push(out);
  }
  return polygons(rings);
}

/** Position along the map's edge, counter-clockwise from the south-west corner: bottom, right, top, left. */
const PERIMETER = 1080;
function perimeter([x, y]: XY): number {
  if (x >= 180) return 360 + (y + 90);
  if (x <= -180) return 900 + (90 - y);
  return y <= -90 ? x + 180 : 540 + (180 - x);
}
const CORNERS: { s: number; p: XY }[] = [
  { s: 360, p: [180, -90] },
  { s: 540, p: [180, 90] },
  { s: 900, p: [-180, 90] },
  { s: 0, p: [-180, -90] },
];

function polygons(rings: XY[][]): Geometry {
  const parts = rings
    .map((r) => dedupe(r.map(([x, y]) => [round(x), y] as XY)))
    .filter((r) => r.length >= 3 && Math.abs(shoelace(r)) > 1e-12);
  if (parts.length === 0) throw new ProductError("footprint has no area");
  const polys = parts.map((p) => [close(p)]);
  return polys.length === 1
    ? { type: "Polygon", coordinates: polys[0]! }
    : { type: "MultiPolygon", coordinates: polys };
}

const WORLD: XY[] = [
  [-180, -90],
  [180, -90],
  [180, 90],
  [-180, 90],
];

/** Twice the signed planar area: > 0 counter-clockwise. */
function shoelace(ring: XY[]): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a;
}

function dedupe(ring: XY[]): XY[] {
  const out = ring.filter((p, i) => i === 0 || !same(p, ring[i - 1]!));
  while (out.length > 1 && same(out[0]!, out.at(-1)!)) out.pop();
  // Drop points on a straight line along x = ±180 or y = ±90 (left by clipping and pole closing).
  return out.filter((p, i) => {
    const a = out[(i + out.length - 1) % out.length]!;
    const b = out[(i + 1) % out.length]!;
    const alongX = a[0] === p[0] && p[0] === b[0] && Math.abs(p[0]) === 180;
    const alongY = a[1] === p[1] && p[1] === b[1] && Math.abs(p[1]) === 90;
    return !(alongX || alongY) || out.length <= 3;
  });
}

function close(ring: XY[]): Ring {
  return [...ring, ring[0]!].map((p) => [p[0], p[1]] as Position);
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return Math.abs(a[0]! - b[0]!) < 1e-12 && Math.abs(a[1]! - b[1]!) < 1e-12;
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}
