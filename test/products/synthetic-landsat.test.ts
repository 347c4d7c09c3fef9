import { describe, expect, it } from "vitest";
import { archiveBytes, planLandsatScene } from "../../dev/synthetic/index.ts";
import { readBack } from "../support/read-back.ts";

describe("synthetic Landsat C2 L2 scenes read back", () => {
  it.each(["json", "xml", "txt"] as const)("from the MTL as %s alone", async (form) => {
    const p = planLandsatScene({
      spacecraft: "LANDSAT_8",
      level: "L2SP",
      path: 191,
      row: 26,
      datetime: "2022-08-14T09:53:02.112Z",
      processedOn: "2022-08-24",
      category: "T1",
      cloudCover: 7.25,
      cloudCoverLand: 6.5,
      footprint: [
        [12.0, 50.1],
        [15.2, 50.1],
        [15.2, 48.4],
        [12.0, 48.4],
      ],
      sunAzimuth: 152.1,
      sunElevation: 51.2,
      mtlForms: [form],
      prefix: "landsat/",
    });
    expect(p.key).toBe("landsat/LC08_L2SP_191026_20220814_20220824_02_T1.tar");
    const { item } = await readBack(p);
    expect(item.id).toBe("LC08_L2SP_191026_20220814_20220824_02_T1");
    expect(item.collection).toBe("landsat-c2-l2");
    expect(item.properties).toMatchObject({
      datetime: "2022-08-14T09:53:02.112000Z",
      platform: "landsat-8",
      instruments: ["oli", "tirs"],
      "eo:cloud_cover": 7.25,
      "landsat:cloud_cover_land": 6.5,
      "landsat:wrs_path": "191",
      "landsat:wrs_row": "026",
      "landsat:collection_category": "T1",
      "landsat:scene_id": "LC81910262022226LGN00",
      "proj:code": "EPSG:32633",
      "view:sun_azimuth": 152.1,
      "view:sun_elevation": 51.2,
      "product:type": "L2SP",
    });
    expect(item.bbox).toEqual([12.0, 48.4, 15.2, 50.1]);
    expect(Object.keys(item.assets)).toEqual(
      expect.arrayContaining(["sr_b4", "st_b10", "qa_pixel", `mtl.${form}`, "thumbnail", "product"]),
    );
  });

  it("L2SR carries no surface temperature bands", async () => {
    const { item } = await readBack(planLandsatScene({ level: "L2SR", spacecraft: "LANDSAT_9" }));
    expect(item.properties["product:type"]).toBe("L2SR");
    expect(item.properties["platform"]).toBe("landsat-9");
    expect(item.assets["sr_b7"]).toBeDefined();
    expect(item.assets["st_b10"]).toBeUndefined();
  });

  it("a scene across the antimeridian", async () => {
    const p = planLandsatScene({
      path: 74,
      row: 72,
      footprint: [
        [179.1, -16.2],
        [-179.2, -16.2],
        [-179.2, -17.9],
        [179.1, -17.9],
      ],
    });
    const { item } = await readBack(p);
    expect(item.geometry?.type).toBe("MultiPolygon");
    expect(item.bbox).toEqual([179.1, -17.9, -179.2, -16.2]);
    // Centre at 179.95°E: UTM zone 60.
    expect(item.properties["proj:code"]).toBe("EPSG:32660");
  });

  it("a 1 GB sparse tar is listed and read without being held", async () => {
    const p = planLandsatScene({ targetSize: 1e9 });
    expect(p.size).toBeGreaterThan(1e9);
    const { item, store } = await readBack(p);
    expect(item.assets["sr_b1"]).toBeDefined();
    // One 64 KiB window per member header beyond the first: the tar format has no directory.
    expect(store.stats.bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it("is deterministic", () => {
    const a = archiveBytes(planLandsatScene());
    const b = archiveBytes(planLandsatScene());
    expect(Buffer.compare(a, b)).toBe(0);
  });
});
