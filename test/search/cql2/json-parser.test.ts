import { describe, expect, it } from "vitest";
import { BadRequestError } from "../../../shared/errors.ts";
import {
  evaluateCql2,
  parseCql2Json,
  parseCql2Text,
  toCql2Json,
  toCql2Text,
} from "../../../shared/search/cql2/index.ts";
import { errorOf, makeItem } from "./item.ts";

describe("parseCql2Json", () => {
  const examples: [unknown, string][] = [
    [
      {
        op: "and",
        args: [
          { op: "=", args: [{ property: "collection" }, "sentinel-1-grd"] },
          { op: "<=", args: [{ property: "sat:relative_orbit" }, 50] },
        ],
      },
      "collection = 'sentinel-1-grd' AND sat:relative_orbit <= 50",
    ],
    [
      {
        op: "s_intersects",
        args: [
          { property: "geometry" },
          {
            type: "Polygon",
            coordinates: [
              [
                [-77.0824, 38.7886],
                [-77.0189, 38.7886],
                [-77.0189, 38.8351],
                [-77.0824, 38.8351],
                [-77.0824, 38.7886],
              ],
            ],
          },
        ],
      },
      "S_INTERSECTS(geometry, POLYGON((-77.0824 38.7886, -77.0189 38.7886, -77.0189 38.8351, -77.0824 38.8351, -77.0824 38.7886)))",
    ],
    [
      { op: "t_intersects", args: [{ property: "datetime" }, { interval: ["2020-11-11T00:00:00Z", ".."] }] },
      "T_INTERSECTS(datetime, INTERVAL('2020-11-11T00:00:00Z', '..'))",
    ],
    [{ op: "isNull", args: [{ property: "platform" }] }, "platform IS NULL"],
    [
      { op: "a_containedBy", args: [{ property: "instruments" }, ["msi", "olci"]] },
      "A_CONTAINEDBY(instruments, ('msi', 'olci'))",
    ],
    [
      {
        op: "like",
        args: [
          { op: "casei", args: [{ property: "title" }] },
          { op: "casei", args: ["%sentinel%"] },
        ],
      },
      "CASEI(title) LIKE CASEI('%sentinel%')",
    ],
    [
      { op: ">", args: [{ op: "*", args: [{ property: "gsd" }, 2] }, { property: "min_gsd" }] },
      "gsd * 2 > min_gsd",
    ],
    [
      { op: "s_intersects", args: [{ property: "geometry" }, { bbox: [-180, -90, 180, 90] }] },
      "S_INTERSECTS(geometry, BBOX(-180, -90, 180, 90))",
    ],
    [
      { op: "t_before", args: [{ property: "datetime" }, { date: "2021-04-08" }] },
      "T_BEFORE(datetime, DATE('2021-04-08'))",
    ],
  ];

  it("reads the spec's example shapes into the same AST as the text encoding", () => {
    for (const [json, text] of examples) {
      expect(parseCql2Json(json)).toEqual(parseCql2Text(text));
    }
  });

  it("round-trips json → AST → json unchanged, and json → text → AST", () => {
    for (const [json] of examples) {
      const expr = parseCql2Json(json);
      expect(toCql2Json(expr)).toEqual(json);
      expect(parseCql2Text(toCql2Text(expr))).toEqual(expr);
    }
  });

  it("accepts op names in any case and prints the canonical spelling", () => {
    const expr = parseCql2Json({ op: "A_CONTAINEDBY", args: [{ property: "x" }, [1]] });
    expect(toCql2Json(expr)).toEqual({ op: "a_containedBy", args: [{ property: "x" }, [1]] });
  });

  it("names the JSON path of the offending node", () => {
    expect(
      errorOf(() =>
        parseCql2Json({
          op: "and",
          args: [
            { op: "=", args: [{ property: "a" }, 1] },
            { op: "near", args: [] },
          ],
        }),
      ),
    ).toBe("filter: unknown function or operator 'near' at filter.args[1]");
    expect(errorOf(() => parseCql2Json({ op: "=", args: [{ property: "a" }, null] }))).toBe(
      "filter: null is not a CQL2 value at filter.args[1]",
    );
    expect(errorOf(() => parseCql2Json({ op: "s_intersects", args: [{ property: "geometry" }] }))).toBe(
      "filter: S_INTERSECTS expects 2 arguments, got 1 at filter",
    );
    expect(
      errorOf(() =>
        parseCql2Json({
          op: "s_intersects",
          args: [
            { property: "geometry" },
            {
              type: "Polygon",
              coordinates: [
                [
                  [0, 0],
                  [1, 0],
                  [1, 1],
                  [0, 1],
                ],
              ],
            },
          ],
        }),
      ),
    ).toBe(
      "filter: the outer ring of a polygon is not closed: it must end where it starts at filter.args[1]",
    );
    expect(
      errorOf(() =>
        parseCql2Json({
          op: "s_intersects",
          args: [{ property: "geometry" }, { type: "Point", coordinates: ["1", 2] }],
        }),
      ),
    ).toMatch(/coordinates must be numbers/);
    expect(
      errorOf(() =>
        parseCql2Json({ op: "t_after", args: [{ property: "datetime" }, { interval: ["2020-01-01"] }] }),
      ),
    ).toMatch(/"interval" must be an array of 2 instants at filter.args\[1\]/);
    expect(
      errorOf(() =>
        parseCql2Json({ op: "t_after", args: [{ property: "datetime" }, { interval: ["soon", ".."] }] }),
      ),
    ).toMatch(/'soon' is not an RFC 3339 timestamp .* at filter.args\[1\].interval\[0\]/);
    expect(errorOf(() => parseCql2Json({ foo: 1 }))).toMatch(/unrecognised object \(keys: foo\)/);
    expect(errorOf(() => parseCql2Json({ op: "in", args: [{ property: "a" }, "b"] }))).toMatch(
      /argument 2 of IN must be a list of values, got a string/,
    );
    expect(errorOf(() => parseCql2Json("{not json"))).toMatch(/^filter: not valid JSON/);
    expect(errorOf(() => parseCql2Json(5))).toBe(
      "filter: the filter must be a boolean expression, got a number",
    );
    expect(
      errorOf(() => parseCql2Json({ op: "=", args: [{ property: "a" }] }, { param: "body.filter" })),
    ).toBe("body.filter: '=' expects 2 arguments, got 1 at body.filter");
  });

  it("throws nothing but BadRequestError for random JSON", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
    const gen = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.3)
        return pick<unknown>([1, "x", true, null, [], {}, ["2020-01-01", ".."], -200]);
      if (r < 0.5) return { property: pick(["a", "", 3]) };
      if (r < 0.6)
        return pick<unknown>([
          { interval: [gen(depth + 1), gen(depth + 1)] },
          { bbox: [gen(depth + 1)] },
          { type: "Point", coordinates: [gen(depth + 1), 1] },
        ]);
      return {
        op: pick([
          "and",
          "or",
          "not",
          "=",
          "like",
          "in",
          "between",
          "s_intersects",
          "t_after",
          "a_equals",
          "casei",
          "+",
          "nope",
        ]),
        args: pick([undefined, 3, Array.from({ length: Math.floor(random() * 4) }, () => gen(depth + 1))]),
      };
    };
    for (let n = 0; n < 3000; n++) {
      const json = gen(0);
      try {
        const expr = parseCql2Json(json);
        expect(parseCql2Json(toCql2Json(expr))).toEqual(expr);
        expect(parseCql2Text(toCql2Text(expr))).toEqual(expr);
        expect(typeof evaluateCql2(expr, makeItem({ a: 1, x: [1] }))).toBe("boolean");
      } catch (err) {
        expect(err, JSON.stringify(json)).toBeInstanceOf(BadRequestError);
      }
    }
  });
});
