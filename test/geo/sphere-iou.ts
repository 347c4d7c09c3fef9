// Intersection over union of two footprints by area on the sphere, measured on an H3 grid: each
// footprint becomes the set of cells whose centres it holds, and areas are sums of exact cell areas.
// Tolerance of the method: only cells along a boundary can be misclassified, so the error is about
// perimeter × cell edge / area; the resolution is picked so that a footprint holds ≥ 20,000 cells,
// which keeps that below ~1.5 % for the shapes here (strips 10:1 included).
import { cellArea, getHexagonAreaAvg, polygonToCells } from "h3-js";
import { clipRingX } from "../../shared/geo/normalize.ts";
import { geometryAreaKm2 } from "../../shared/geo/validity.ts";
import type { Geometry, Ring } from "../../shared/stac/types.ts";

const MIN_CELLS = 20_000;

/** The resolution at which a footprint of `areaKm2` holds at least MIN_CELLS cells (at most 10). */
export function resolutionFor(areaKm2: number): number {
  for (let r = 0; r <= 10; r++) if (areaKm2 / getHexagonAreaAvg(r, "km2") >= MIN_CELLS) return r;
  return 10;
}

/**
 * Cells of a geometry in normal form. Parts are cut into 60°-wide slices first: H3 takes a polygon
 * wider than 180° for one that crosses the antimeridian, which a polar cap drawn from -180 to 180 is not.
 */
export function cellsOf(g: Geometry, res: number): Set<string> {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  const out = new Set<string>();
  for (const poly of polys) {
    for (let lo = -180; lo < 180; lo += 60) {
      const outer = clipRingX(poly[0]!, lo, lo + 60);
      if (outer.length < 4) continue;
      const holes = poly
        .slice(1)
        .map((h: Ring) => clipRingX(h, lo, lo + 60))
        .filter((h) => h.length >= 4);
      for (const c of polygonToCells([outer, ...holes] as number[][][], res, true)) out.add(c);
    }
  }
  return out;
}

export interface IoU {
  iou: number;
  res: number;
  oursKm2: number;
  refKm2: number;
}

export function sphericalIoU(ours: Geometry, ref: Geometry): IoU {
  const oursKm2 = geometryAreaKm2(ours);
  const refKm2 = geometryAreaKm2(ref);
  let res = resolutionFor(Math.max(1, Math.min(oursKm2, refKm2)));
  // A reference many times larger than ours (or the reverse) would need millions of cells at that level.
  // (h3 sizes its buffers by the bounding box, so a long thin strip counts by its box.)
  const worst = Math.max(oursKm2, refKm2, bboxKm2(ours), bboxKm2(ref));
  while (res > 0 && worst / getHexagonAreaAvg(res, "km2") > 1_000_000) res--;
  const a = cellsOf(ours, res);
  const b = cellsOf(ref, res);
  let inter = 0;
  let union = 0;
  for (const c of new Set([...a, ...b])) {
    const area = cellArea(c, "km2");
    union += area;
    if (a.has(c) && b.has(c)) inter += area;
  }
  return { iou: union === 0 ? 0 : inter / union, res, oursKm2, refKm2 };
}

function bboxKm2(g: Geometry): number {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  let total = 0;
  for (const poly of polys) {
    const xs = poly[0]!.map((p) => p[0]!);
    const ys = poly[0]!.map((p) => p[1]!);
    const [w, e, s, n] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const rad = Math.PI / 180;
    total +=
      Math.min(e - w, 60) *
      rad *
      (Math.sin(n * rad) - Math.sin(s * rad)) *
      6371 ** 2 *
      Math.ceil((e - w) / 60);
  }
  return total;
}
