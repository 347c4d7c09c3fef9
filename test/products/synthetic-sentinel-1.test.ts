import { describe, expect, it } from "vitest";
import { archiveBytes, planSentinel1Product } from "../../dev/synthetic/index.ts";
import { MEMBER_FIELD, type ZipMemberRef } from "../../shared/products/types.ts";
import { readBack } from "../support/read-back.ts";

const FOOTPRINT: [number, number][] = [
  [14.2, 48.9],
  [17.6, 49.3],
  [17.1, 50.8],
  [13.6, 50.4],
];

describe("synthetic Sentinel-1 products read back", () => {
  it("IW GRD dual polarisation: every option comes back", async () => {
    const p = planSentinel1Product({
      platform: "S1B",
      productType: "GRD",
      mode: "IW",
      polarisations: ["VV", "VH"],
      datetime: "2021-08-09T17:39:53.153Z",
      durationSeconds: 25,
      footprint: FOOTPRINT,
      absoluteOrbit: 28_456,
      relativeOrbit: 146,
      pass: "ASCENDING",
      datatakeId: 0x049f13,
      samples: 25_340,
      lines: 16_710,
      prefix: "in/",
    });
    expect(p.key).toBe(`in/${p.name}.SAFE.zip`);
    expect(p.name).toMatch(/^S1B_IW_GRDH_1SDV_20210809T173953_20210809T174018_028456_049F13_[0-9A-F]{4}$/);
    const { item } = await readBack(p);
    expect(item.id).toBe(p.name);
    expect(item.collection).toBe("sentinel-1-grd");
    expect(item.properties).toMatchObject({
      start_datetime: "2021-08-09T17:39:53.153000Z",
      end_datetime: "2021-08-09T17:40:18.153000Z",
      datetime: "2021-08-09T17:40:05.653000Z",
      platform: "sentinel-1b",
      "sat:absolute_orbit": 28_456,
      "sat:relative_orbit": 146,
      "sat:orbit_state": "ascending",
      "sar:instrument_mode": "IW",
      "sar:polarizations": ["VV", "VH"],
      "sar:product_type": "GRD",
      "sar:pixel_spacing_range": 10,
      "s1:datatake_id": String(0x049f13),
      "s1:shape": [25_340, 16_710],
    });
    expect(item.bbox).toEqual([13.6, 48.9, 17.6, 50.8]);
    expect(item.geometry?.type).toBe("Polygon");
    expect(Object.keys(item.assets)).toEqual(
      expect.arrayContaining(["vv", "vh", "thumbnail", "safe-manifest"]),
    );
    // The member reference lets the download path serve the measurement alone.
    const vv = item.assets["vv"]![MEMBER_FIELD] as ZipMemberRef;
    expect(vv.path).toMatch(/measurement\/s1b-iw-grd-vv-.*-001\.tiff$/);
  });

  it.each([
    {
      productType: "SLC",
      mode: "EW",
      polarisations: ["HH", "HV"],
      expectAssets: ["ew1-hh", "ew5-hv"],
      code: "EW_SLC__1SDH",
    },
    {
      productType: "SLC",
      mode: "IW",
      polarisations: ["VV"],
      expectAssets: ["iw1-vv", "iw3-vv"],
      code: "IW_SLC__1SSV",
    },
    { productType: "GRD", mode: "SM", polarisations: ["HH"], expectAssets: ["hh"], code: "S3_GRDH_1SSH" },
    {
      productType: "GRD",
      mode: "EW",
      polarisations: ["HH", "HV"],
      expectAssets: ["hh", "hv"],
      code: "EW_GRDM_1SDH",
    },
  ] as const)(
    "$mode $productType $polarisations",
    async ({ productType, mode, polarisations, expectAssets, code }) => {
      const p = planSentinel1Product({ productType, mode, polarisations: [...polarisations] });
      expect(p.name.slice(4, 16)).toBe(code);
      const { item } = await readBack(p);
      expect(item.collection).toBe(`sentinel-1-${productType.toLowerCase()}`);
      expect(item.properties["sar:instrument_mode"]).toBe(mode);
      expect(item.properties["sar:polarizations"]).toEqual(polarisations);
      expect(item.properties["product:type"]).toBe(productType);
      expect(Object.keys(item.assets)).toEqual(expect.arrayContaining([...expectAssets]));
    },
  );

  it("a frame across the antimeridian becomes a MultiPolygon with a wrapping bbox", async () => {
    const p = planSentinel1Product({
      footprint: [
        [178.6, 65.1],
        [-176.2, 65.8],
        [-175.4, 67.4],
        [179.1, 66.7],
      ],
    });
    const { item } = await readBack(p);
    expect(item.geometry?.type).toBe("MultiPolygon");
    expect(item.bbox).toEqual([178.6, 65.1, -175.4, 67.4]);
  });

  it("reads a 4.6 GB SLC (zip64) where it lies", async () => {
    const p = planSentinel1Product({ productType: "SLC", targetSize: 4.6e9 });
    expect(p.size).toBeGreaterThan(2 ** 32);
    const { item, store } = await readBack(p);
    expect(item.collection).toBe("sentinel-1-slc");
    const last = item.assets["iw3-vh"]![MEMBER_FIELD] as ZipMemberRef;
    // Its data runs past 4 GiB, so the central directory can only be found through the zip64 records.
    expect(last.localHeaderOffset + last.size).toBeGreaterThan(2 ** 32);
    expect(store.stats.requests).toBeLessThan(10);
    expect(store.stats.bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it("is deterministic", () => {
    const a = archiveBytes(planSentinel1Product({ mode: "EW" }));
    const b = archiveBytes(planSentinel1Product({ mode: "EW" }));
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
