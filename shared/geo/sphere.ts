// Areas and winding on the sphere: which side of a ring is its inside is decided here, by area, never
// by vertex order in the plane or by mean latitude.

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Area of the whole sphere in steradians. */
export const FULL_SPHERE = 4 * Math.PI;

type XY = readonly [number, number] | readonly number[];
type Vec = [number, number, number];

const RAD = Math.PI / 180;

export function toVector(p: XY): Vec {
  const lon = p[0]! * RAD;
  const lat = p[1]! * RAD;
  const c = Math.cos(lat);
  return [c * Math.cos(lon), c * Math.sin(lon), Math.sin(lat)];
}

function dot(a: Vec, b: Vec): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function triple(a: Vec, b: Vec, c: Vec): number {
  return (
    a[0] * (b[1] * c[2] - b[2] * c[1]) +
    a[1] * (b[2] * c[0] - b[0] * c[2]) +
    a[2] * (b[0] * c[1] - b[1] * c[0])
  );
}

/** Signed spherical excess of the triangle a→b→c (minor-arc edges): > 0 when counter-clockwise seen from outside. */
function triangleExcess(a: Vec, b: Vec, c: Vec): number {
  return 2 * Math.atan2(triple(a, b, c), 1 + dot(a, b) + dot(b, c) + dot(c, a));
}

/**
 * Area in steradians of the region to the LEFT of the ring (edges are great-circle arcs), in [0, 4π).
 * A fan of signed triangles from the first vertex sums to that area modulo 4π for any simple ring.
 */
export function leftArea(ring: readonly XY[]): number {
  const pts = openRing(ring).map(toVector);
  if (pts.length < 3) return 0;
  let s = 0;
  for (let i = 1; i + 1 < pts.length; i++) s += triangleExcess(pts[0]!, pts[i]!, pts[i + 1]!);
  const a = ((s % FULL_SPHERE) + FULL_SPHERE) % FULL_SPHERE;
  return a > FULL_SPHERE - 1e-12 ? 0 : a;
}

/** Net longitude travelled round the ring, in whole turns: +1 eastward round the axis (north pole on the left). */
export function windingAroundAxis(ring: readonly XY[]): number {
  const pts = openRing(ring);
  let total = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    total += lonStep(a[0]!, b[0]!);
  }
  return Math.round(total / 360);
}

/** Signed shortest step in longitude from a to b, in (-180, 180]. */
export function lonStep(a: number, b: number): number {
  let d = (b - a) % 360;
  if (d > 180) d -= 360;
  if (d <= -180) d += 360;
  return d;
}

export function steradiansToKm2(sr: number): number {
  return sr * EARTH_RADIUS_KM * EARTH_RADIUS_KM;
}

export function openRing<T extends XY>(ring: readonly T[]): T[] {
  const a = ring[0];
  const b = ring.at(-1);
  if (ring.length > 1 && a && b && a[0] === b[0] && a[1] === b[1]) return ring.slice(0, -1);
  return ring.slice();
}
