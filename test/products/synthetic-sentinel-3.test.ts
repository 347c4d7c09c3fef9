import { describe, expect, it } from "vitest";
import { archiveBytes, planSentinel3Product, type S3ProductType } from "../../dev/synthetic/index.ts";
import { readBack } from "../support/read-back.ts";

const CASES: [S3ProductType, string, string[], boolean][] = [
  ["OL_1_EFR___", "sentinel-3-olci-efr", ["olci"], false],
  ["OL_1_ERR___", "sentinel-3-olci-err", ["olci"], false],
  ["OL_2_LFR___", "sentinel-3-olci-lfr", ["olci"], true],
  ["SL_1_RBT___", "sentinel-3-slstr-rbt", ["slstr"], true],
  ["SL_2_LST___", "sentinel-3-slstr-lst", ["slstr"], true],
  ["SR_1_SRA___", "sentinel-3-sral-sra", ["sral"], false],
  ["SR_2_WAT___", "sentinel-3-sral-wat", ["sral"], false],
  ["SY_2_SYN___", "sentinel-3-synergy-syn", ["olci", "slstr"], true],
];

describe("synthetic Sentinel-3 products read back", () => {
  it.each(CASES)("%s", async (productType, collection, instruments, hasCover) => {
    const footprint: [number, number][] = [
      [12.1, 48.2],
      [19.3, 48.9],
      [18.6, 51.4],
      [11.7, 50.9],
    ];
    const p = planSentinel3Product({
      platform: "S3B",
      productType,
      datetime: "2023-06-01T09:12:44.5Z",
      durationSeconds: 180,
      footprint,
      absoluteOrbit: 26_001,
      relativeOrbit: 222,
      cycle: 79,
      orbitDirection: "descending",
      timeliness: "NT",
      baseline: "004",
      cloudCover: 23.5,
    });
    expect(p.name).toMatch(
      new RegExp(`^S3B_${productType}_20230601T091244_20230601T091544_\\d{8}T\\d{6}_0180_079_222_`),
    );
    expect(p.name).toMatch(/_O_NT_004$/);
    const { item, store } = await readBack(p);
    expect(item.id).toBe(p.name);
    expect(item.collection).toBe(collection);
    expect(item.properties).toMatchObject({
      start_datetime: "2023-06-01T09:12:44.500000Z",
      end_datetime: "2023-06-01T09:15:44.500000Z",
      datetime: "2023-06-01T09:14:14.500000Z",
      platform: "sentinel-3b",
      instruments,
      "sat:absolute_orbit": 26_001,
      "sat:relative_orbit": 222,
      "sat:orbit_cycle": 79,
      "sat:orbit_state": "descending",
      "product:type": productType,
      "product:timeliness_category": "NT",
      "processing:version": "004",
    });
    expect(item.properties["eo:cloud_cover"]).toBe(hasCover ? 23.5 : undefined);
    expect(item.geometry).toEqual({ type: "Polygon", coordinates: [[...footprint, footprint[0]]] });
    expect(item.bbox).toEqual([11.7, 48.2, 19.3, 51.4]);
    expect(
      Object.values(item.assets).filter((a) => a.type === "application/x-netcdf").length,
    ).toBeGreaterThan(0);
    expect(store.stats.requests).toBeLessThanOrEqual(3);
  });

  it("a half-orbit altimetry pass across the antimeridian", async () => {
    const track = Array.from({ length: 20 }, (_, i) => [170 + i, 70 - 7 * i] as [number, number]);
    const strip: [number, number][] = [
      ...track.map(([lon, lat]) => [lon > 180 ? lon - 360 : lon, lat] as [number, number]),
      ...track
        .reverse()
        .map(([lon, lat]) => [lon - 0.3 > 180 ? lon - 360.3 : lon - 0.3, lat] as [number, number]),
    ];
    const p = planSentinel3Product({ productType: "SR_2_WAT___", footprint: strip, durationSeconds: 2_900 });
    expect(p.name).toContain("_2900_");
    expect(p.name).toContain("______MAR_O_");
    const { item } = await readBack(p);
    expect(item.geometry?.type).toBe("MultiPolygon");
    const [west, south, east, north] = item.bbox!;
    expect(west).toBeGreaterThan(east!);
    expect([west, south, east, north]).toEqual([169.7, -63, -171, 70]);
  });

  it("default passes are orbit-long strips; frames are frames", () => {
    const pass = planSentinel3Product({ productType: "OL_1_ERR___" }).names;
    const frame = planSentinel3Product({ productType: "OL_1_EFR___" }).names;
    const span = (r: [number, number][]) => Math.max(...r.map((p) => p[1])) - Math.min(...r.map((p) => p[1]));
    expect(span(pass.footprint)).toBeGreaterThan(120);
    expect(span(frame.footprint)).toBeLessThan(20);
  });

  it("is deterministic", () => {
    const a = archiveBytes(planSentinel3Product({ productType: "SY_2_SYN___" }));
    const b = archiveBytes(planSentinel3Product({ productType: "SY_2_SYN___" }));
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
