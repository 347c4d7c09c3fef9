// Bounding boxes as STAC writes them: [west, south, east, north], with west > east for a box across the
// antimeridian and [-180, …, 180, …] for one around the globe. Longitudes are arcs of a circle here.
import type { BBox } from "../stac/types.ts";

const EPS = 1e-9;

/** Degrees of longitude a box spans (360 for the whole circle). */
const lonWidth = (b: BBox): number => (b[0] <= b[2] ? b[2] - b[0] : b[2] - b[0] + 360);
/** Degrees east from longitude a to longitude b, in [0, 360). */
const eastOf = (a: number, b: number): number => (((b - a) % 360) + 360) % 360;

function lonContains(outer: BBox, inner: BBox): boolean {
  const wo = lonWidth(outer);
  if (wo >= 360 - EPS) return true;
  const wi = lonWidth(inner);
  if (wi >= 360 - EPS) return false;
  return eastOf(outer[0], inner[0]) + wi <= wo + EPS;
}

/** Whether `outer` holds all of `inner`. */
export function bboxContains(outer: BBox, inner: BBox): boolean {
  return outer[1] <= inner[1] && outer[3] >= inner[3] && lonContains(outer, inner);
}

/**
 * The smallest box holding both: the longitude arc starts at one of the two western edges, so the
 * narrower of those two arcs is the union (across the antimeridian when that is narrower).
 */
export function bboxUnion(a: BBox | undefined, b: BBox): BBox {
  if (!a) return b;
  const south = Math.min(a[1], b[1]);
  const north = Math.max(a[3], b[3]);
  const fromA = Math.max(lonWidth(a), eastOf(a[0], b[0]) + lonWidth(b));
  const fromB = Math.max(lonWidth(b), eastOf(b[0], a[0]) + lonWidth(a));
  const [west, width] = fromA <= fromB ? [a[0], fromA] : [b[0], fromB];
  if (width >= 360 - EPS) return [-180, south, 180, north];
  const east = west + width > 180 ? west + width - 360 : west + width;
  return [west, south, east, north];
}
