import { describe, expect, it } from "vitest";
import { collectPropertyRefs, extractIndexHints, parseCql2Text } from "../../../shared/search/cql2/index.ts";

const hints = (f: string) => extractIndexHints(parseCql2Text(f));

describe("extractIndexHints", () => {
  it("reads geometry, time, collections and ids from a top-level AND", () => {
    expect(
      hints(
        "S_INTERSECTS(geometry, BBOX(0, 0, 1, 1)) AND T_INTERSECTS(datetime, INTERVAL('2021-01-01', '2021-12-31T00:00:00Z')) AND collection IN ('s1', 's2') AND id = 'a'",
      ),
    ).toEqual({
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
            [0, 0],
          ],
        ],
      },
      interval: ["2021-01-01T00:00:00.000Z", "2021-12-31T00:00:00.000Z"],
      collections: ["s1", "s2"],
      ids: ["a"],
      complete: true,
    });
  });

  it("turns comparisons, BETWEEN and before/after into open or closed ranges and intersects them", () => {
    expect(hints("datetime >= TIMESTAMP('2021-01-01T00:00:00Z')").interval).toEqual([
      "2021-01-01T00:00:00.000Z",
      null,
    ]);
    expect(hints("TIMESTAMP('2021-01-01T00:00:00Z') > datetime").interval).toEqual([
      null,
      "2021-01-01T00:00:00.000Z",
    ]);
    expect(
      hints("T_AFTER(datetime, DATE('2021-01-01')) AND T_BEFORE(datetime, DATE('2021-02-01'))").interval,
    ).toEqual(["2021-01-01T00:00:00.000Z", "2021-02-01T00:00:00.000Z"]);
    expect(hints("datetime BETWEEN DATE('2021-01-01') AND DATE('2021-01-31')").interval).toEqual([
      "2021-01-01T00:00:00.000Z",
      "2021-01-31T00:00:00.000Z",
    ]);
    expect(hints("T_DURING(datetime, INTERVAL('..', '2021-01-01'))").interval).toEqual([
      null,
      "2021-01-01T00:00:00.000Z",
    ]);
  });

  it("intersects repeated collection constraints and gives nothing for OR, NOT or disjoint", () => {
    expect(hints("collection IN ('a', 'b') AND collection = 'b'").collections).toEqual(["b"]);
    expect(hints("collection = 'a' OR collection = 'b'")).toEqual({ complete: false });
    expect(hints("NOT collection = 'a'")).toEqual({ complete: false });
    expect(hints("S_DISJOINT(geometry, POINT(0 0)) AND T_DISJOINT(datetime, DATE('2021-01-01'))")).toEqual({
      complete: false,
    });
    expect(hints("eo:cloud_cover < 10 OR eo:cloud_cover > 90")).toEqual({ complete: false });
  });

  it("reads an upper bound on eo:cloud_cover, and says whether the filter is nothing but its hints", () => {
    expect(hints("eo:cloud_cover < 30")).toEqual({ cloudCoverMax: 30, complete: true });
    expect(hints("30 >= eo:cloud_cover AND eo:cloud_cover <= 12.5")).toEqual({
      cloudCoverMax: 12.5,
      complete: true,
    });
    // sentinelsat's cloudcoverpercentage=(0, 30) as a range, and a vacuous lower bound.
    expect(hints("eo:cloud_cover BETWEEN 0 AND 30")).toEqual({ cloudCoverMax: 30, complete: true });
    expect(hints("eo:cloud_cover >= 0 AND eo:cloud_cover < 20")).toEqual({
      cloudCoverMax: 20,
      complete: true,
    });
    // A lower bound above 0 drops rows the planner cannot count: a bound, but not complete.
    expect(hints("eo:cloud_cover BETWEEN 5 AND 30")).toEqual({ cloudCoverMax: 30, complete: false });
    expect(hints("eo:cloud_cover > 5")).toEqual({ complete: false });
    expect(hints("eo:cloud_cover = 0")).toEqual({ cloudCoverMax: 0, complete: true });
    expect(hints("eo:cloud_cover < 30 AND platform = 'sentinel-2a'")).toEqual({
      cloudCoverMax: 30,
      complete: false,
    });
    expect(hints("eo:cloud_cover < other")).toEqual({ complete: false });
  });
});

describe("collectPropertyRefs", () => {
  it("lists every property once, including those inside functions and intervals", () => {
    expect(
      collectPropertyRefs(
        parseCql2Text(
          "CASEI(platform) = 'x' AND (a + b > 1 OR T_DURING(INTERVAL(start_datetime, end_datetime), INTERVAL('..', '..'))) AND platform IN (c) AND A_CONTAINS(keywords, (d))",
        ),
      ),
    ).toEqual(["platform", "a", "b", "start_datetime", "end_datetime", "c", "keywords", "d"]);
  });
});
