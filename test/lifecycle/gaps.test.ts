// Gap report core: slots read from real product names, upstream lists in their three shapes, and the
// per-day/tile comparison with its H3 cells of missing footprints.
import { readdirSync } from "node:fs";
import { cellToLatLng, latLngToCell } from "h3-js";
import { describe, expect, it } from "vitest";
import { BadRequestError } from "../../shared/errors.ts";
import { dayOption, gapReport, parseUpstreamProducts, slotOfName } from "../../shared/lifecycle/gaps.ts";

const FIXTURES = "/work/shared/fixtures";
const reference = (dir: string, part: string) =>
  readdirSync(`${FIXTURES}/${dir}`).find((f) => f.includes(part) && /\.(SAFE|SEN3|zip)$/.test(f))!;

describe("slotOfName", () => {
  it("reads day and tile/relative orbit from real names (orbits as in their reference items)", () => {
    expect(slotOfName(reference("sentinel-2", "T33XWJ"))).toEqual({ day: "2022-04-13", tile: "T33XWJ" });
    expect(slotOfName(reference("sentinel-2", "T01LAC"))).toEqual({ day: "2020-07-17", tile: "T01LAC" });
    // sat:relative_orbit 59 and 25 in the reference items.
    expect(slotOfName(reference("sentinel-1", "039156"))).toEqual({ day: "2021-08-09", tile: "R059" });
    expect(slotOfName(reference("sentinel-1", "003072"))).toEqual({ day: "2014-10-31", tile: "R025" });
    // sat:relative_orbit 334 and 102.
    expect(slotOfName(reference("sentinel-3", "OL_1_EFR"))).toEqual({ day: "2021-10-21", tile: "R334" });
    expect(slotOfName(reference("sentinel-3", "OL_2_LFR"))).toEqual({ day: "2021-05-23", tile: "R102" });
    expect(slotOfName(reference("sentinel-3", "SR_1_SRA"))).toEqual({ day: "2023-03-09", tile: "R214" });
  });
  it("S1B's orbit offset, and names without a tile", () => {
    // S1B absolute 17035 → relative ((17035 − 27) mod 175) + 1 = 34.
    expect(slotOfName("S1B_IW_GRDH_1SDV_20190701T050000_20190701T050025_017035_020000_ABCD").tile).toBe(
      "R034",
    );
    expect(slotOfName("era5-2024-05", "2024-05-01T00:00:00Z")).toEqual({ day: "2024-05-01", tile: "-" });
    expect(slotOfName("something")).toEqual({ day: "-", tile: "-" });
  });
});

describe("parseUpstreamProducts", () => {
  it("reads a saved OData Products result with its footprints (GeoJSON or WKT)", () => {
    const list = parseUpstreamProducts(
      JSON.stringify({
        value: [
          {
            Name: "S2A_MSIL2A_20240501T100031_N0510_R122_T33UWR_20240501T150000.SAFE",
            ContentDate: { Start: "2024-05-01T10:00:31.024Z" },
            GeoFootprint: {
              type: "Polygon",
              coordinates: [
                [
                  [14, 50],
                  [15, 50],
                  [15, 51],
                  [14, 51],
                  [14, 50],
                ],
              ],
            },
          },
          {
            Name: "S2A_MSIL2A_20240501T100031_N0510_R122_T33UVR_20240501T150000.SAFE",
            Footprint: "geography'SRID=4326;POLYGON ((12 50, 13 50, 13 51, 12 51, 12 50))'",
          },
        ],
      }),
    );
    expect(list).toEqual([
      {
        id: "S2A_MSIL2A_20240501T100031_N0510_R122_T33UWR_20240501T150000",
        start: "2024-05-01T10:00:31.024Z",
        centre: [14.5, 50.5],
      },
      { id: "S2A_MSIL2A_20240501T100031_N0510_R122_T33UVR_20240501T150000", centre: [12.5, 50.5] },
    ]);
  });
  it("reads a CSV with a name column, and a plain list of names", () => {
    expect(parseUpstreamProducts("name,size\nA.SAFE,1\nB.SEN3,2\n")).toEqual([{ id: "A" }, { id: "B" }]);
    expect(parseUpstreamProducts("# saved 2024-05-02\nA.SAFE\n\nB.zip\n")).toEqual([
      { id: "A" },
      { id: "B" },
    ]);
    expect(parseUpstreamProducts('["A.SAFE", {"Name": "B"}]')).toEqual([{ id: "A" }, { id: "B" }]);
  });
  it("names the entry at fault", () => {
    expect(() => parseUpstreamProducts('{"value": [{"Name": "A"}, {"Id": "x"}]}', "q.json")).toThrow(
      /q.json: value\[1\] has no Name/,
    );
    expect(() => parseUpstreamProducts("{oops", "q.json")).toThrow(BadRequestError);
    expect(() => parseUpstreamProducts('{"items": []}', "q.json")).toThrow(/expected CDSE's Products JSON/);
    expect(() => dayOption("from", "May")).toThrow(/'from' must be a day/);
  });
});

describe("gapReport", () => {
  const s2 = (day: string, tile: string, n = 0) =>
    `S2B_MSIL2A_${day.replaceAll("-", "")}T10003${n}_N0510_R122_${tile}_20240601T000000`;
  const upstream = [
    { id: s2("2024-05-01", "T33UWR"), centre: [14.5, 50.5] as [number, number] },
    { id: s2("2024-05-01", "T33UVR"), centre: [12.5, 50.5] as [number, number] },
    { id: s2("2024-05-01", "T33UVR", 1), centre: [12.6, 50.4] as [number, number] },
    { id: s2("2024-05-02", "T33UWR") },
    { id: s2("2024-06-01", "T33UWR") },
  ];
  const index = [
    s2("2024-05-01", "T33UWR"),
    s2("2024-05-02", "T33UWR"),
    s2("2024-05-02", "T33UXR"),
    s2("2024-04-30", "T33UWR"),
  ];

  it("counts per day and tile what is missing here and what only this catalogue holds", () => {
    const r = gapReport("s2-l2a", upstream, index, { from: "2024-05-01", to: "2024-05-31" });
    expect(r.upstream).toBe(4);
    expect(r.index).toBe(3);
    expect(r.rows).toEqual([
      { day: "2024-05-01", tile: "T33UVR", upstream: 2, index: 0, missing: 2, onlyLocal: 0 },
      { day: "2024-05-01", tile: "T33UWR", upstream: 1, index: 1, missing: 0, onlyLocal: 0 },
      { day: "2024-05-02", tile: "T33UWR", upstream: 1, index: 1, missing: 0, onlyLocal: 0 },
      { day: "2024-05-02", tile: "T33UXR", upstream: 0, index: 1, missing: 0, onlyLocal: 1 },
    ]);
    expect(r.missing).toEqual([s2("2024-05-01", "T33UVR"), s2("2024-05-01", "T33UVR", 1)].sort());
    expect(r.onlyLocal).toEqual([s2("2024-05-02", "T33UXR")]);
    // Both missing footprints' centres fall in one resolution-3 cell (about 12,000 km² each).
    const cell = latLngToCell(50.5, 12.5, 3);
    expect(latLngToCell(50.4, 12.6, 3)).toBe(cell);
    expect(r.cells).toEqual([{ cell, missing: 2 }]);
    expect(cellToLatLng(cell)[0]).toBeCloseTo(50.5, 0);
  });

  it("without a range takes every day", () => {
    const r = gapReport("s2-l2a", upstream, index);
    expect([r.upstream, r.index, r.missing.length, r.onlyLocal.length]).toEqual([5, 4, 3, 2]);
  });

  it("with the bucket's products: per row those not indexed and items whose product is not there", () => {
    const bucket = [s2("2024-05-01", "T33UWR"), s2("2024-05-01", "T33UVR"), s2("2024-05-02", "T33UXR")];
    const r = gapReport("s2-l2a", upstream, index, {
      from: "2024-05-01",
      to: "2024-05-02",
      bucketIds: bucket,
    });
    expect(r.bucket).toBe(3);
    expect(r.notIndexed).toEqual([s2("2024-05-01", "T33UVR")]);
    expect(r.notInBucket).toEqual([s2("2024-05-02", "T33UWR")]);
    expect(r.rows.map((x) => [x.day, x.tile, x.bucket, x.notIndexed, x.notInBucket])).toEqual([
      ["2024-05-01", "T33UVR", 1, 1, 0],
      ["2024-05-01", "T33UWR", 1, 0, 0],
      ["2024-05-02", "T33UWR", 0, 0, 1],
      ["2024-05-02", "T33UXR", 1, 0, 0],
    ]);
  });
});
