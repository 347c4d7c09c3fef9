// Areas and winding on the sphere: which side of a ring is its inside is decided here, by area, never
// by vertex order in the plane or by mean latitude.

/** Mean Earth radius (IUGG), km. */
export const EARTH_RADIUS_KM = 6371.0088;
/** Area of the whole sphere in steradians. */
export const FULL_SPHERE = 4 * Math.PI;

type XY = readonly [number, number] | readonly number[];

const RAD = Math.PI / 180;

/**
 * Area in steradians of the region to the LEFT of the ring (edges are great-circle arcs), in [0, 4π).
 * Each edge adds the signed area between it and the north pole (the triangle pole–a–b, positive when
 * the edge runs east); the sum is the left-hand area modulo 4π for any simple ring, however long.
 */
export function leftArea(ring: readonly XY[]): number {
  const pts = openRing(ring);
  if (pts.length < 3) return 0;
  let s = 0;
  for (let i = 0; i < pts.length; i++) {
    const a = pts[i]!;
    const b = pts[(i + 1) % pts.length]!;
    const dl = lonStep(a[0]!, b[0]!) * RAD;
    // Half colatitudes; atan2 keeps this stable next to either pole.
    const h1 = (90 - a[1]!) * RAD * 0.5;
    const h2 = (90 - b[1]!) * RAD * 0.5;
    const k = Math.sin(h1) * Math.sin(h2);
    s += 2 * Math.atan2(k * Math.sin(dl), Math.cos(h1) * Math.cos(h2) + k * Math.cos(dl));
  }
  const area = ((s % FULL_SPHERE) + FULL_SPHERE) % FULL_SPHERE;
  return area > FULL_SPHERE - 1e-12 ? 0 : area;
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
