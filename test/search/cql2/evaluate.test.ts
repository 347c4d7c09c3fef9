import { describe, expect, it } from "vitest";
import { evaluateCql2, parseCql2Json, parseCql2Text } from "../../../shared/search/cql2/index.ts";
import { makeItem } from "./item.ts";

const item = makeItem({
  "eo:cloud_cover": 12.5,
  platform: "sentinel-2b",
  title: "Été à Genève",
  instruments: ["msi"],
  keywords: ["land", "optical", "l2a"],
  "sat:relative_orbit": 8,
  "sat:absolute_orbit": 21000,
  constellation: null,
  flag: true,
});
const matches = (filter: string) => evaluateCql2(parseCql2Text(filter), item);

describe("evaluateCql2", () => {
  it("compares numbers, strings, booleans, ids and collections", () => {
    expect(matches("eo:cloud_cover < 20")).toBe(true);
    expect(matches("eo:cloud_cover >= 12.5 AND eo:cloud_cover <= 12.5")).toBe(true);
    expect(matches("eo:cloud_cover <> 12.5")).toBe(false);
    expect(matches("platform = 'sentinel-2b'")).toBe(true);
    expect(matches("platform > 'sentinel-2a'")).toBe(true);
    expect(matches("flag = TRUE")).toBe(true);
    expect(matches("flag")).toBe(true);
    expect(matches("id = 'S2B_MSIL2A_20210408T103619_T32TMT' AND collection = 'sentinel-2-l2a'")).toBe(true);
    expect(matches("datetime > TIMESTAMP('2021-04-08T10:00:00Z')")).toBe(true);
    expect(matches("datetime < DATE('2021-04-08')")).toBe(false);
  });

  it("follows SQL three-valued logic for missing and null properties", () => {
    // Truth table of AND/OR/NOT with UNKNOWN (x is missing).
    const table: [string, boolean][] = [
      ["missing = 1", false],
      ["missing <> 1", false],
      ["NOT missing = 1", false],
      ["missing = 1 OR TRUE", true],
      ["missing = 1 OR FALSE", false],
      ["missing = 1 AND FALSE", false],
      ["NOT (missing = 1 AND FALSE)", true],
      ["NOT (missing = 1 OR TRUE)", false],
      ["missing IS NULL", true],
      ["missing IS NOT NULL", false],
      ["constellation IS NULL", true],
      ["constellation = 'sentinel-2'", false],
      ["platform IS NOT NULL", true],
      ["missing IN ('a')", false],
      ["platform IN ('a', 'sentinel-2b')", true],
      ["platform NOT IN ('a', 'b')", true],
      ["eo:cloud_cover = 'twelve'", false],
      ["NOT eo:cloud_cover = 'twelve'", false],
    ];
    for (const [filter, expected] of table) expect(matches(filter), filter).toBe(expected);
  });

  it("matches LIKE patterns with %, _ and backslash escapes", () => {
    const table: [string, string, boolean][] = [
      ["sentinel-2b", "sentinel%", true],
      ["sentinel-2b", "sentinel-2_", true],
      ["sentinel-2b", "sentinel-_", false],
      ["sentinel-2b", "%2B", false],
      ["100%", "100\\%", true],
      ["1000", "100\\%", false],
      ["a_b", "a\\_b", true],
      ["axb", "a\\_b", false],
      ["a.b", "a.b", true],
      ["axb", "a.b", false],
      ["multi\nline", "multi%", true],
    ];
    for (const [value, pattern, expected] of table) {
      const expr = parseCql2Json({ op: "like", args: [value, pattern] });
      expect(evaluateCql2(expr, item), `${value} LIKE ${pattern}`).toBe(expected);
    }
    expect(matches("platform NOT LIKE 'landsat%'")).toBe(true);
  });

  it("compares case- and accent-insensitively with CASEI and ACCENTI", () => {
    expect(matches("CASEI(platform) = CASEI('SENTINEL-2B')")).toBe(true);
    expect(matches("platform = 'SENTINEL-2B'")).toBe(false);
    expect(matches("ACCENTI(title) = ACCENTI('Ete a Geneve')")).toBe(true);
    expect(matches("CASEI(ACCENTI(title)) LIKE CASEI(ACCENTI('ETE A%'))")).toBe(true);
    expect(matches("title LIKE 'Ete%'")).toBe(false);
  });

  it("evaluates BETWEEN inclusively and IN", () => {
    expect(matches("eo:cloud_cover BETWEEN 12.5 AND 20")).toBe(true);
    expect(matches("eo:cloud_cover BETWEEN 0 AND 12.4")).toBe(false);
    expect(matches("eo:cloud_cover NOT BETWEEN 0 AND 12.4")).toBe(true);
    expect(matches("sat:relative_orbit IN (1, 8, 15)")).toBe(true);
  });

  it("evaluates arithmetic and property-to-property comparisons", () => {
    expect(matches("sat:relative_orbit * 2 + 1 = 17")).toBe(true);
    expect(matches("sat:absolute_orbit div 1000 = 21 AND sat:absolute_orbit % 7 = 0")).toBe(true);
    expect(matches("sat:absolute_orbit / 1000 = 21")).toBe(true);
    expect(matches("2 ^ 3 = 8 AND -sat:relative_orbit = -8")).toBe(true);
    expect(matches("sat:relative_orbit < sat:absolute_orbit")).toBe(true);
    expect(matches("sat:relative_orbit / 0 = 1 OR sat:relative_orbit / 0 <> 1")).toBe(false);
    expect(matches("missing + 1 > 0")).toBe(false);
  });

  it("evaluates the array functions", () => {
    expect(matches("A_CONTAINS(keywords, ('land', 'l2a'))")).toBe(true);
    expect(matches("A_CONTAINS(keywords, ('land', 'sar'))")).toBe(false);
    expect(matches("A_CONTAINEDBY(instruments, ('msi', 'olci'))")).toBe(true);
    expect(matches("A_CONTAINEDBY(keywords, ('land'))")).toBe(false);
    expect(matches("A_OVERLAPS(keywords, ('sar', 'optical'))")).toBe(true);
    expect(matches("A_OVERLAPS(keywords, ('sar'))")).toBe(false);
    expect(matches("A_EQUALS(keywords, ('land', 'optical', 'l2a'))")).toBe(true);
    expect(matches("A_EQUALS(keywords, ('optical', 'land', 'l2a'))")).toBe(false);
    expect(matches("A_CONTAINS(missing, ('x'))")).toBe(false);
    expect(matches("A_CONTAINS(platform, ('x'))")).toBe(false);
  });

  it("does not read inherited object members as properties", () => {
    expect(matches("constructor IS NULL AND toString IS NULL")).toBe(true);
  });
});
