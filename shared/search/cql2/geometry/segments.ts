// Planar segment primitives. Coordinates are degrees; EPS absorbs the rounding of computed
// intersection points so that a node lying on a segment is recognised as lying on it.
import type { XY } from "./parts.ts";

export const EPS = 1e-9;

export function samePoint(a: XY, b: XY): boolean {
  return Math.abs(a[0] - b[0]) <= EPS && Math.abs(a[1] - b[1]) <= EPS;
}

/** > 0 if c is left of a→b, < 0 if right, 0 if collinear. */
export function orient(a: XY, b: XY, c: XY): number {
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/** Distance-based test: is p on the closed segment a–b (within EPS)? */
export function onSegment(p: XY, a: XY, b: XY): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return samePoint(p, a);
  const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  const tc = Math.max(0, Math.min(1, t));
  const qx = a[0] + tc * dx - p[0];
  const qy = a[1] + tc * dy - p[1];
  return qx * qx + qy * qy <= EPS * EPS;
}

/** Position of p along a–b as a fraction of its length (p assumed on the segment). */
export function along(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  return len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
}

function boxesApart(a: XY, b: XY, c: XY, d: XY): boolean {
  return (
    Math.max(a[0], b[0]) < Math.min(c[0], d[0]) - EPS ||
    Math.min(a[0], b[0]) > Math.max(c[0], d[0]) + EPS ||
    Math.max(a[1], b[1]) < Math.min(c[1], d[1]) - EPS ||
    Math.min(a[1], b[1]) > Math.max(c[1], d[1]) + EPS
  );
}

/**
 * Points where segments a–b and c–d meet: none, one (crossing or touching), or the two ends
 * of a collinear overlap.
 */
export function intersectSegments(a: XY, b: XY, c: XY, d: XY): XY[] {
  if (boxesApart(a, b, c, d)) return [];
  const out: XY[] = [];
  const keep = (p: XY) => {
    if (!out.some((q) => samePoint(p, q))) out.push(p);
  };
  if (onSegment(a, c, d)) keep(a);
  if (onSegment(b, c, d)) keep(b);
  if (onSegment(c, a, b)) keep(c);
  if (onSegment(d, a, b)) keep(d);
  if (out.length > 0) return out;
  const d1 = orient(c, d, a);
  const d2 = orient(c, d, b);
  const d3 = orient(a, b, c);
  const d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [[a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]];
  }
  return [];
}
