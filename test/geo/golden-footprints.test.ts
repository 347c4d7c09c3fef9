// Footprints of every fixture product against the reference items made for the same products
// (stactools, USGS, CDSE), compared by area on the sphere: intersection over union ≥ 0.95, measured
// on an H3 grid (sphere-iou.ts; method tolerance ~1.5 %). A reference that is itself not valid GeoJSON
// is named as such, and then only our footprint's validity is checked.
import { describe, expect, it } from "vitest";
import { geometryProblems } from "../../shared/geo/validity.ts";
import { HAVE_FIXTURES } from "../products/reference.ts";
import { fixtureCases } from "./fixture-items.ts";
import { sphericalIoU } from "./sphere-iou.ts";

/** RFC 7946 asks parsers to accept rings that break the right-hand rule, so orientation is not held against a reference. */
function referenceProblems(g: Parameters<typeof geometryProblems>[0]): string[] {
  return geometryProblems(g).filter((p) => !/right-hand rule/.test(p));
}

/** Known, documented exceptions, by product name. */
const NO_VALID_DATA_CORNERS: Record<string, string> = {
  // The fixture holds only the MTL (no ANG.txt), so the valid-data corners cannot be computed: the
  // footprint is the product grid, which must hold the valid data (the reference) entirely.
  LT04_L2SP_002026_19830110_20200918_02_T1: "no ANG.txt in the fixture",
};

const cases = fixtureCases();

describe.skipIf(!HAVE_FIXTURES)("footprints against the reference items, by area on the sphere", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    const item = await c.read();
    if (item.geometry) expect(geometryProblems(item.geometry)).toEqual([]);
    for (const { source, item: ref } of c.references) {
      if (!ref.geometry) continue;
      // Every product has a footprint: gridded ones (Sentinel-5P O3_TCL) the box of their grid's cells.
      if (!item.geometry) throw new Error(`${c.name}: no footprint; the ${source} has ${ref.geometry.type}`);
      const bad = referenceProblems(ref.geometry);
      const { iou, oursKm2, refKm2, res } = sphericalIoU(item.geometry, ref.geometry);
      console.log(
        `${c.name} vs ${source}: IoU ${iou.toFixed(3)} (H3 res ${res}; ours ${Math.round(oursKm2)} km², reference ${Math.round(refKm2)} km²)${bad.length ? ` - reference invalid: ${bad[0]}` : ""}`,
      );
      if (bad.length > 0) continue; // validity of ours is checked above
      if (NO_VALID_DATA_CORNERS[c.name]) {
        const inter = (iou * (oursKm2 + refKm2)) / (1 + iou);
        expect(inter / refKm2).toBeGreaterThanOrEqual(0.98);
        continue;
      }
      expect(iou).toBeGreaterThanOrEqual(0.95);
    }
  });
});
