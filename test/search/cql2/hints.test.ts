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
    expect(hints("collection = 'a' OR collection = 'b'")).toEqual({});
    expect(hints("NOT collection = 'a'")).toEqual({});
    expect(hints("S_DISJOINT(geometry, POINT(0 0)) AND T_DISJOINT(datetime, DATE('2021-01-01'))")).toEqual(
      {},
    );
    expect(hints("eo:cloud_cover < 10")).toEqual({});
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
