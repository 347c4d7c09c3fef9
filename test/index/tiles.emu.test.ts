// Tile rows: revisits of a fixed grid tile are indexed by tile, and a search reads the tiles whose
// footprint box meets its area. The box must hold every item of the tile before its rows exist.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { cellToLatLng } from "h3-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { geometryBBox, normalizeGeometry } from "../../shared/geo/normalize.ts";
import { keyToCell } from "../../shared/index/cells.ts";
import { buildItemRows, footprintTileOf, tileOf } from "../../shared/index/rows.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { BBox, StacItem } from "../../shared/stac/types.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { FIXTURES, HAVE_FIXTURES } from "../products/reference.ts";
import { testCollection } from "../support/collections.ts";
import { footprint } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const T = "2024-05-01T10:00:00.000Z";
function tileItem(id: string, code: string | undefined, lon: number, lat: number, w = 1.2, h = 1): StacItem {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id,
    collection: "s2",
    geometry: footprint(lon, lat, w, h),
    properties: { datetime: T, ...(code ? { "grid:code": code } : {}) },
    links: [],
    assets: {},
  };
}

describe("the tile an item revisits", () => {
  it("is read from grid:code, the MGRS fields, s2:mgrs_tile or the WRS-2 path and row", () => {
    expect(tileOf({ "grid:code": "MGRS-33UVR" })).toBe("MGRS-33UVR");
    expect(tileOf({ "mgrs:utm_zone": 3, "mgrs:latitude_band": "U", "mgrs:grid_square": "VR" })).toBe(
      "MGRS-03UVR",
    );
    expect(tileOf({ "s2:mgrs_tile": "33UVR" })).toBe("MGRS-33UVR");
    expect(tileOf({ "landsat:wrs_path": "190", "landsat:wrs_row": "25" })).toBe("WRS2-190025");
    expect(tileOf({ platform: "sentinel-2a" })).toBeUndefined();
  });

  it("is an orbit frame for scenes that name their relative orbit (Sentinel-1)", () => {
    const scene = {
      "sat:relative_orbit": 51,
      "sat:orbit_state": "descending",
      start_datetime: "2024-05-01T05:00:00.000Z",
      "sat:anx_datetime": "2024-05-01T04:00:00.000Z",
    };
    // 3,600 s after the ascending node: frame 360 of 10 s.
    expect(tileOf(scene)).toBe("ORBIT-51D-T360");
    // The next revisit of that slice, 12 days later, half a second off: the same frame.
    expect(
      tileOf({
        ...scene,
        start_datetime: "2024-05-13T05:00:00.500Z",
        "sat:anx_datetime": "2024-05-13T04:00:00.000Z",
      }),
    ).toBe("ORBIT-51D-T360");
    // The next slice, 25 s later, is another frame; so is the other direction.
    expect(tileOf({ ...scene, start_datetime: "2024-05-01T05:00:25.000Z" })).toBe("ORBIT-51D-T362");
    expect(tileOf({ ...scene, "sat:orbit_state": "ascending" })).toBe("ORBIT-51A-T360");
    // Without the ascending node: the degree of latitude of the footprint's centre.
    const { "sat:anx_datetime": _, ...noAnx } = scene;
    expect(tileOf(noAnx, [14, 49.2, 17, 50.9])).toBe("ORBIT-51D-L50");
    expect(tileOf(noAnx, [14, -50.9, 17, -49.2])).toBe("ORBIT-51D-L-51");
    expect(tileOf(noAnx)).toBeUndefined();
    // A node after the start, or days before it, is not this orbit's: the latitude is used.
    expect(tileOf({ ...scene, "sat:anx_datetime": "2024-05-02T04:00:00.000Z" }, [0, 10, 1, 11])).toBe(
      "ORBIT-51D-L10",
    );
    // A grid tile wins over the orbit; an orbit that is not a whole number is ignored.
    expect(tileOf({ ...scene, "grid:code": "MGRS-33UVR" })).toBe("MGRS-33UVR");
    expect(tileOf({ ...scene, "sat:relative_orbit": "51" })).toBeUndefined();
    expect(tileOf({ ...scene, "sat:relative_orbit": 51.5 })).toBeUndefined();
  });

  it("is ignored when it could not be a key (separators, spaces, too long)", () => {
    expect(tileOf({ "grid:code": "A#B" })).toBeUndefined();
    expect(tileOf({ "grid:code": "tile 1" })).toBeUndefined();
    expect(tileOf({ "grid:code": "X".repeat(80) })).toBeUndefined();
  });
});

describe("the footprint tile of an item that names none", () => {
  const code = (lon: number, lat: number, w = 1.5, h = 1) => {
    const g = normalizeGeometry(footprint(lon, lat, w, h));
    return footprintTileOf(g, geometryBBox(g)!);
  };
  const tileRowOf = (item: StacItem) => buildItemRows(item, "v1").rows.find((r) => r.pk.startsWith("P#"));

  it("is shared by revisits of one footprint, also a few km apart", () => {
    expect(code(14.5, 50.5)).toMatch(/^FP\d+-\d{6}$/);
    expect(code(14.5, 50.5)).toBe(code(14.5, 50.5));
    // A relative orbit's slices shift by a few km: nearly all revisits share the tile (one whose
    // centre crosses a cell's edge starts another).
    const jittered = Array.from({ length: 40 }, (_, i) =>
      code(14.5 + ((i * 7) % 9) * 0.004, 50.5 + ((i * 5) % 7) * 0.004),
    );
    expect(new Set(jittered).size).toBeLessThanOrEqual(2);
    expect(jittered.filter((c) => c === code(14.5, 50.5)).length).toBeGreaterThan(30);
  });

  it("is mostly shared by a tile's edge passes, and differs between distant or differently sized footprints", () => {
    // Tiles of 110 km on a 100 km grid across Europe; edge passes a third to two thirds of the tile
    // on its east or west side: most share the full passes' tile.
    let shared = 0;
    let all = 0;
    for (let lat = 45; lat < 55; lat += 0.9)
      for (let lon = 5; lon < 25; lon += 1.4)
        for (const share of [0.35, 0.5, 0.65])
          for (const side of [-1, 1]) {
            all++;
            if (code(lon + (side * 1.5 * (1 - share)) / 2, lat, 1.5 * share) === code(lon, lat)) shared++;
          }
    expect(shared / all).toBeGreaterThan(0.6);
    // Footprints 300 km apart, and a scene sixteen times the area, centred at the same point.
    expect(code(14.5, 50.5)).not.toBe(code(18.7, 50.5));
    expect(code(14.5, 50.5)).not.toBe(code(14.5, 53.2));
    expect(code(14.5, 50.5)).not.toBe(code(14.5, 50.5, 6, 4));
    expect(code(14.5, 50.5)).not.toBe(code(14.5, 50.5, 0.3, 0.2));
  });

  it("is centred across the antimeridian and at the poles", () => {
    // One footprint across 180° written from either side.
    expect(code(179.9, -17)).toBe(code(-180.1, -17));
    expect(code(179.9, -17)).toMatch(/^FP[67]-/);
    // Its cell is at 180°, not at the mean of west and east (0°).
    const [, lon] = cellToLatLng(keyToCell(code(179.9, -17).split("-")[1]!));
    expect(Math.abs(lon)).toBeGreaterThan(179.5);
    expect(code(0, 85, 20, 1)).toMatch(/^FP\d+-\d{6}$/);
  });

  it("gives an untiled item a tile row instead of its fine cell rows, its revisits the same one", () => {
    const a = tileRowOf(tileItem("a", undefined, 14.5, 50.5));
    const b = tileRowOf(tileItem("b", undefined, 14.5, 50.5));
    expect(a?.pk).toMatch(/^P#s2#FP\d+-\d{6}$/);
    expect(b?.pk).toBe(a?.pk);
    expect(a?.tile?.cells.length).toBeGreaterThan(0);
    const built = buildItemRows(tileItem("a", undefined, 14.5, 50.5), "v1");
    expect(built.rows.filter((r) => r.pk.startsWith("S#") && !r.sk.includes("^"))).toHaveLength(0);
    // A named tile wins; a footprint too large for a tile gets none.
    expect(tileRowOf(tileItem("c", "MGRS-33UVR", 14.5, 50.5))?.pk).toBe("P#s2#MGRS-33UVR");
    expect(tileRowOf(tileItem("d", undefined, 14, 50, 12, 8))).toBeUndefined();
  });
});

describe.skipIf(!HAVE_FIXTURES)("tiles of real items from other catalogues", () => {
  const first = (rel: string): StacItem => {
    const j = JSON.parse(readFileSync(join(FIXTURES, "stac-items-real", rel), "utf8"));
    const item = (j.type === "FeatureCollection" ? j.features[0] : j) as StacItem;
    return { ...item, collection: item.collection ?? "c" };
  };
  const tileRow = (item: StacItem) => buildItemRows(item, "v1").rows.find((r) => r.tile)?.tile?.code;

  it("are their MGRS tile, WRS-2 path/row or orbit frame, whichever fields the catalogue writes", () => {
    expect(tileRow(first("cdse/S2A_MSIL1C_20240116T000741_N0510_R130_T51CVP_20240116T010505.json"))).toBe(
      "MGRS-51CVP",
    );
    expect(tileRow(first("earth-search/earth-search-v0_sentinel-s2-l2a-cogs_item.json"))).toBe("MGRS-33SVB");
    expect(tileRow(first("earth-search/earth-search-v1_sentinel-2-l1c_search.json"))).toBe("MGRS-27VWK");
    expect(tileRow(first("planetary-computer/pc_landsat-c2-l2_search-2025.json"))).toBe("WRS2-090091");
    // Sentinel-1: relative orbit, direction and mode; the frame from the ascending node when given.
    expect(
      tileRow(first("cdse/S1A_IW_SLC__1SDV_20250104T000000_20250104T000027_057287_070C52_C1A6.json")),
      // 324.6 s after the ascending node: frame 32 of 10 s.
    ).toBe("ORBIT-165A-IW-T32");
    expect(tileRow(first("earth-search/earth-search-v1_sentinel-1-grd_item-1.json"))).toBe(
      "ORBIT-56A-IW-L-48",
    );
    expect(tileRow(first("planetary-computer/pc_sentinel-1-grd_search-2025.json"))).toBe("ORBIT-95D-IW-L33");
  });

  it("are none for swaths and strips, which name a relative orbit too", () => {
    for (const rel of [
      "cdse/S3B_OL_1_EFR____20250101T000122_20250101T000422_20250101T100556_0179_101_287_2340_PS2_O_NT_004.json",
      "cdse/S3A_SR_1_SRA____20230124T062526_20230124T071556_20230220T092834_3029_094_348______PS1_O_NT_004.json",
      "cdse/S5P_OFFL_L2__NO2____20211211T104909_20211211T123039_21566_02_020301_20211213T011704.json",
    ])
      expect(tileRow(first(rel)), rel).toBeUndefined();
  });
});

describe("rows of tile items", () => {
  it("are a time row, one tile row and group rows, with the cells of its footprint boxes", () => {
    const built = buildItemRows(tileItem("a", "MGRS-33UVR", 14.5, 50.5), "v1");
    const pks = built.rows.map((r) => r.pk.split("#")[0]);
    expect(pks.filter((p) => p === "P")).toHaveLength(1);
    expect(pks.filter((p) => p === "C")).toHaveLength(1);
    const tile = built.rows.find((r) => r.pk.startsWith("P#"))!;
    expect(tile.pk).toBe("P#s2#MGRS-33UVR");
    expect(tile.tile?.cells.length).toBeGreaterThan(0);
    // No fine (res-3) cell rows: the tile row replaces them; group rows serve large areas.
    expect(built.rows.filter((r) => r.pk.startsWith("S#") && !r.sk.includes("^"))).toHaveLength(0);
    expect(built.rows.filter((r) => r.sk.includes("^")).length).toBeGreaterThan(0);
  });

  it("are cell rows when the footprint is too large for a tile", () => {
    const built = buildItemRows(tileItem("c", "X-1", 14, 50, 12, 8), "v1");
    expect(built.rows.some((r) => r.pk.startsWith("P#"))).toBe(false);
    expect(built.rows.some((r) => r.pk.startsWith("S#") && !r.sk.includes("^"))).toBe(true);
  });

  it("are a tile row for scenes up to Sentinel-1's size and across the antimeridian", () => {
    // A 250 × 170 km scene at 50°N, and a tile across 180°.
    for (const item of [
      tileItem("s1", "ORBIT-51D-T360", 14, 50, 3.5, 1.5),
      tileItem("b", "MGRS-01KAB", 179.9, -17),
    ]) {
      const built = buildItemRows(item, "v1");
      const tile = built.rows.find((r) => r.pk.startsWith("P#"));
      expect(tile?.tile?.cells.length).toBeGreaterThan(0);
      expect(built.rows.filter((r) => r.pk.startsWith("S#") && !r.sk.includes("^"))).toHaveLength(0);
    }
    const crossing = buildItemRows(tileItem("b", "MGRS-01KAB", 179.9, -17), "v1").summary.bbox!;
    expect(crossing.map((x) => Math.round(x * 10) / 10)).toEqual([179.3, -17.5, -179.5, -16.5]);
  });
});

describe("tile footprints in DynamoDB", () => {
  let stack: TestTable;
  beforeAll(async () => {
    stack = await startTestTable();
    await stack.catalogue.putCollection(testCollection("s2"));
  });
  afterAll(() => stack?.close());

  const put = async (catalogue: DynamoCatalogue, item: StacItem) => {
    const built = buildItemRows(item, "v1");
    await catalogue.putItem(item, built.rows, built.record, "v1");
    await catalogue.extendCollection("s2", built.summary);
  };
  const cellsOf = (item: StacItem) =>
    buildItemRows(item, "v1").rows.find((r) => r.pk.startsWith("P#"))!.tile!.cells;
  const holds = (outer: BBox, inner: BBox) =>
    outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];

  it("hold every item of the tile, also when revisits that widen it are written at once", async () => {
    // Twelve revisits of one tile, written concurrently, each displaced a little: the box must grow
    // to hold them all (conditional writes retried on the box read).
    const items = Array.from({ length: 12 }, (_, i) =>
      tileItem(`r${i}`, "GRID-7", 14.5 + (i % 4) * 0.05, 50.5 - (i % 3) * 0.04),
    );
    await Promise.all(items.map((item) => put(stack.catalogue, item)));
    const found = await stack.catalogue.tileFootprints(["s2"], cellsOf(items[0]!));
    const tile = found.get("s2")!.find((t) => t.tile === "GRID-7")!;
    for (const item of items) expect(holds(tile.bbox, geometryBBox(item.geometry!))).toBe(true);
    expect(tile.items).toBe(12);
  });

  it("grow when another instance (that never saw the tile) writes a revisit outside the box", async () => {
    const other = new DynamoCatalogue(stack.doc, stack.table);
    const wide = tileItem("r-wide", "GRID-7", 14.3, 50.5, 1.4);
    await put(other, wide);
    const found = await stack.catalogue.tileFootprints(["s2"], cellsOf(wide));
    const tile = found.get("s2")!.find((t) => t.tile === "GRID-7")!;
    expect(holds(tile.bbox, geometryBBox(wide.geometry!))).toBe(true);
    // And a search at a point only the wider revisit covers finds it through its tile row.
    const req = parseSearch(
      { intersects: { type: "Point", coordinates: [13.65, 50.5] } },
      { source: "body" },
    );
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    expect(page.items.map((i) => i.id)).toEqual(["r-wide"]);
  });

  it("are read in one range per res-1 parent, without those of sibling cells outside the area", async () => {
    const item = tileItem("sib", "GRID-SIB", 21.5, 52.5, 0.2, 0.2);
    await put(stack.catalogue, item);
    const [own] = cellsOf(item);
    const parent = own!.slice(0, -1);
    // The siblings around the item's cell: its cell lies between them in key order.
    const others = ["0", "2", "3", "4", "5", "6"]
      .map((d) => parent + d)
      .filter((c) => !cellsOf(item).includes(c));
    expect(others[0]! < own! && own! < others[others.length - 1]!).toBe(true);
    const before = stack.catalogue.stats.requests;
    const around = await stack.catalogue.tileFootprints(["s2"], others);
    expect(stack.catalogue.stats.requests - before).toBe(1);
    expect(around.get("s2")!.map((t) => t.tile)).not.toContain("GRID-SIB");
    const at = await stack.catalogue.tileFootprints(["s2"], [...others, own!]);
    expect(at.get("s2")!.map((t) => t.tile)).toContain("GRID-SIB");
  });

  it("let a point search read only the tiles whose box holds the point", async () => {
    await put(stack.catalogue, tileItem("far", "GRID-9", 17.5, 50.5));
    const req = parseSearch(
      { intersects: { type: "Point", coordinates: [14.5, 50.5] }, limit: 50 },
      { source: "body" },
    );
    const [record] = (await stack.catalogue.listCollections()).filter((c) => c.collection.id === "s2");
    expect(record!.levels).toContain("P");
    const found = await stack.catalogue.tileFootprints(["s2"], cellsOf(tileItem("x", "GRID-7", 14.5, 50.5)));
    const plan = planSearch({
      geometry: req.geometry,
      interval: req.interval,
      collections: [{ id: "s2", maxDurationMs: 0, levels: record!.levels, tiles: found.get("s2") }],
    });
    const tilePks = plan.queries.map((q) => q.pk).filter((pk) => pk.startsWith("P#"));
    expect(tilePks).toEqual(["P#s2#GRID-7"]);
    // Tiles unknown (not read): the tile items' group rows are read instead, nothing is missed.
    const blind = planSearch({
      geometry: req.geometry,
      interval: req.interval,
      collections: [{ id: "s2", maxDurationMs: 0, levels: record!.levels }],
    });
    expect(blind.queries.some((q) => q.pk.startsWith("P#"))).toBe(false);
    expect(blind.queries.some((q) => q.range?.[0].includes("^"))).toBe(true);
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    expect(page.items.map((i) => i.id).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `r${i}`)
        .concat("r-wide")
        .sort(),
    );
  });

  it("cross the antimeridian with their tiles, and points on either side find the revisits", async () => {
    // One tile's revisits: across 180°, and on either side of it only.
    const items = [
      tileItem("am-both", "GRID-AM", 179.9, -17, 0.8),
      tileItem("am-east", "GRID-AM", 179.5, -17, 0.6),
      tileItem("am-west", "GRID-AM", -179.6, -17, 0.4),
    ];
    for (const item of items) await put(stack.catalogue, item);
    const found = await stack.catalogue.tileFootprints(["s2"], cellsOf(items[0]!));
    const tile = found.get("s2")!.find((t) => t.tile === "GRID-AM")!;
    // West edge 179.2 (am-east), east edge -179.4 (am-west): 1.4° across 180°, not 358.6° across 0°.
    expect(tile.bbox.map((x) => Math.round(x * 10) / 10)).toEqual([179.2, -17.5, -179.4, -16.5]);
    const at = async (lon: number) => {
      const req = parseSearch(
        { intersects: { type: "Point", coordinates: [lon, -17] }, collections: ["s2"], limit: 50 },
        { source: "body" },
      );
      return (await searchItems(stack.catalogue, req, UNRESTRICTED)).items.map((i) => i.id).sort();
    };
    expect(await at(179.4)).toEqual(["am-east"]);
    expect(await at(179.6)).toEqual(["am-both", "am-east"]);
    expect(await at(-179.75)).toEqual(["am-both", "am-west"]);
    expect(await at(-179.5)).toEqual(["am-west"]);
    expect(await at(-179)).toEqual([]);
    // The plans read the tile's rows where its box is, and not beyond it.
    const [record] = (await stack.catalogue.listCollections()).filter((c) => c.collection.id === "s2");
    const readsTile = (lon: number) =>
      planSearch({
        geometry: { type: "Point", coordinates: [lon, -17] },
        interval: { from: "2024-01-01T00:00:00.000Z", to: "2024-12-31T00:00:00.000Z" },
        collections: [{ id: "s2", maxDurationMs: 0, levels: record!.levels, tiles: found.get("s2") }],
      }).queries.some((q) => q.pk === "P#s2#GRID-AM");
    expect([179.3, 179.9, -179.5, -179].map(readsTile)).toEqual([true, true, true, false]);
  });

  it("are written by bulk loads before the rows, with their counts on flushRowCounts", async () => {
    await stack.catalogue.putCollection(testCollection("bulk"));
    const items = Array.from({ length: 30 }, (_, i) => ({
      ...tileItem(`b${i}`, `GRID-${i % 3}`, 14 + (i % 3) * 0.9 + (i % 5) * 0.02, 49.5),
      collection: "bulk",
    }));
    const entries = items.map((item) => ({ item, version: "v1", ...buildItemRows(item, "v1") }));
    // Two loads, the second widening a tile's box.
    await stack.catalogue.loadItems(entries.slice(0, 15));
    await stack.catalogue.loadItems(entries.slice(15));
    for (const e of entries) await stack.catalogue.extendCollection("bulk", e.summary);
    const at = cellsOf(items[0]!);
    const before = await stack.catalogue.tileFootprints(["bulk"], at);
    for (const item of items.filter((it) => it.properties["grid:code"] === "GRID-0"))
      expect(
        holds(before.get("bulk")!.find((t) => t.tile === "GRID-0")!.bbox, geometryBBox(item.geometry!)),
      ).toBe(true);
    await stack.catalogue.flushRowCounts();
    const after = await stack.catalogue.tileFootprints(["bulk"], at);
    expect(after.get("bulk")!.find((t) => t.tile === "GRID-0")!.items).toBe(10);
    const req = parseSearch(
      { intersects: { type: "Point", coordinates: [14.02, 49.5] }, collections: ["bulk"], limit: 50 },
      { source: "body" },
    );
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    const expected = items
      .filter((it) => {
        const [w, s, e, n] = geometryBBox(it.geometry!);
        return w <= 14.02 && e >= 14.02 && s <= 49.5 && n >= 49.5;
      })
      .map((it) => it.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(page.items.map((i) => i.id).sort()).toEqual(expected.sort());
  });
});
