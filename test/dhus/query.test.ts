// The q language: parsing, evaluation on summaries, planner hints, date math; and product UUIDs.
import { describe, expect, it } from "vitest";
import { parseDhusQuery, QueryError } from "../../shared/dhus/query.ts";
import { compileQuery, parseDateMath, queryHints } from "../../shared/dhus/query-eval.ts";
import { parseProductUuid, productUuid } from "../../shared/index/product-uuid.ts";
import type { ItemSummary } from "../../shared/index/rows.ts";

const now = new Date("2024-05-10T15:45:00.000Z");
const summary = (over: Partial<ItemSummary> & { props?: Record<string, unknown> } = {}): ItemSummary => ({
  collection: "sentinel-1-grd",
  id: "S1A_IW_GRDH_1SDV_20240501T052312_20240501T052337_053671_0684C4_1A2B",
  datetime: "2024-05-01T05:23:12.000Z",
  start: "2024-05-01T05:23:12.000Z",
  end: "2024-05-01T05:23:37.000Z",
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [10, 50],
        [12, 50],
        [12, 52],
        [10, 52],
        [10, 50],
      ],
    ],
  },
  bbox: [10, 50, 12, 52],
  version: "1",
  properties: {
    platform: "sentinel-1a",
    constellation: "sentinel-1",
    instruments: ["c-sar"],
    "sar:instrument_mode": "IW",
    "sar:polarizations": ["VV", "VH"],
    "sat:orbit_state": "descending",
    "sat:relative_orbit": 22,
    "product:type": "GRD",
    ...over.props,
  },
  ...over,
});
const matches = (q: string, s = summary()) => compileQuery(parseDhusQuery(q), now)(s);

describe("DHuS q", () => {
  it("matches terms with implicit AND, OR groups, NOT, wildcards and case-insensitive names", () => {
    expect(matches('platformname:"Sentinel-1" producttype:GRD')).toBe(true);
    expect(matches("PlatformName:Sentinel-1 AND producttype:SLC")).toBe(false);
    expect(matches('(producttype:"SLC" OR producttype:"GRD") relativeorbitnumber:22')).toBe(true);
    expect(matches("producttype:(SLC OR GRD)")).toBe(true);
    expect(matches("identifier:S1A*IW_GRDH* NOT orbitdirection:ASCENDING")).toBe(true);
    expect(matches('polarisationmode:VH sensoroperationalmode:IW instrumentshortname:"SAR-C SAR"')).toBe(
      true,
    );
    expect(matches("platformserialidentifier:Sentinel-1A")).toBe(true);
  });

  it("evaluates ranges with *, exclusive bounds and date math", () => {
    expect(matches('relativeorbitnumber:["20" TO "22"]')).toBe(true);
    expect(matches("relativeorbitnumber:{20 TO 22}")).toBe(false);
    expect(matches('beginposition:["2024-05-01T00:00:00Z" TO *]')).toBe(true);
    expect(matches("beginposition:[NOW-10DAYS/DAY TO NOW]")).toBe(true);
    expect(matches("beginposition:[NOW-1DAY TO NOW]")).toBe(false);
    expect(parseDateMath("NOW-1DAY/DAY", now)).toBe(Date.parse("2024-05-09T00:00:00Z"));
    expect(parseDateMath("2024-01-31T00:00:00Z+1MONTH", now)).toBe(Date.parse("2024-03-02T00:00:00Z"));
  });

  it("tests footprints with Intersects, Contains, IsWithin and ENVELOPE", () => {
    expect(matches('footprint:"Intersects(POLYGON((11 51,13 51,13 53,11 53,11 51)))"')).toBe(true);
    expect(matches('footprint:"Intersects(POINT(20 20))"')).toBe(false);
    expect(matches('footprint:"Contains(POINT(11 51))"')).toBe(true);
    expect(matches('footprint:"IsWithin(ENVELOPE(9, 13, 53, 49))"')).toBe(true);
    expect(matches('footprint:"IsWithin(ENVELOPE(11, 13, 53, 49))"')).toBe(false);
    expect(
      matches('footprint:"Intersects(GEOMETRYCOLLECTION(POLYGON((11 51,13 51,13 53,11 53,11 51))))"'),
    ).toBe(true);
  });

  it("gives the planner the footprint and the sensing interval of top-level terms only", () => {
    const h = queryHints(
      parseDhusQuery(
        'beginPosition:["2024-05-01T00:00:00Z" TO "2024-05-02T00:00:00Z"] footprint:"Intersects(POINT(11 51))"',
      ),
      now,
    );
    expect(h.interval).toEqual({ from: "2024-05-01T00:00:00.000Z", to: "2024-05-02T00:00:00.000Z" });
    expect(h.geometry?.type).toBe("Point");
    const ored = queryHints(parseDhusQuery("(beginposition:[NOW-1DAY TO NOW] OR producttype:GRD)"), now);
    expect(ored.interval.from).toBe("0000-01-01T00:00:00.000Z");
    // sentinelsat's cloudcoverpercentage=(0, 30): the index's cloud bands serve it.
    expect(queryHints(parseDhusQuery("cloudcoverpercentage:[0 TO 30]"), now).cloudCoverMax).toBe(30);
    expect(queryHints(parseDhusQuery("cloudCoverPercentage:[* TO 12.5}"), now).cloudCoverMax).toBe(12.5);
    expect(queryHints(parseDhusQuery("cloudcoverpercentage:[5 TO *]"), now).cloudCoverMax).toBeUndefined();
    expect(
      queryHints(parseDhusQuery("(cloudcoverpercentage:[0 TO 30] OR producttype:GRD)"), now).cloudCoverMax,
    ).toBeUndefined();
  });

  it("refuses unknown fields and bad syntax as DHuS did", () => {
    expect(() => parseDhusQuery("xxx:yyy")).toThrow("undefined field xxx");
    expect(() => parseDhusQuery("producttype:(GRD")).toThrow(QueryError);
    expect(() => parseDhusQuery('beginposition:["a" "b"]')).toThrow(/expected TO/);
    expect(() => matches("beginposition:[yesterday TO NOW]")).toThrow(/Invalid Date String/);
  });
});

describe("product UUIDs", () => {
  it("are stable and carry the instant and collection hash they are looked up by", () => {
    const u = productUuid("sentinel-2-l2a", "S2A_X", "2024-05-01T10:30:21.024Z");
    expect(u).toBe(productUuid("sentinel-2-l2a", "S2A_X", "2024-05-01T10:30:21.024Z"));
    expect(u).not.toBe(productUuid("sentinel-2-l1c", "S2A_X", "2024-05-01T10:30:21.024Z"));
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseProductUuid(u)?.datetime).toBe("2024-05-01T10:30:21.024Z");
    expect(parseProductUuid("bf652bc4-299c-4c39-9238-ee5a3fdc0d3e")).toBeUndefined();
  });
});
