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

describe("parseCql2Text", () => {
  it("gives AND precedence over OR and NOT over AND", () => {
    expect(toCql2Json(parseCql2Text("a = 1 OR NOT b = 2 AND c = 3"))).toEqual({
      op: "or",
      args: [
        { op: "=", args: [{ property: "a" }, 1] },
        {
          op: "and",
          args: [
            { op: "not", args: [{ op: "=", args: [{ property: "b" }, 2] }] },
            { op: "=", args: [{ property: "c" }, 3] },
          ],
        },
      ],
    });
  });

  it("reads keywords and function names case-insensitively", () => {
    const a = parseCql2Text("s_intersects(geometry, point(1 2)) and x is not null");
    const b = parseCql2Text("S_INTERSECTS(geometry, POINT(1 2)) AND x IS NOT NULL");
    expect(a).toEqual(b);
  });

  it("reads the advanced comparison operators", () => {
    expect(toCql2Json(parseCql2Text("name LIKE 'Sentinel%' AND eo:cloud_cover BETWEEN 0 AND 20"))).toEqual({
      op: "and",
      args: [
        { op: "like", args: [{ property: "name" }, "Sentinel%"] },
        { op: "between", args: [{ property: "eo:cloud_cover" }, 0, 20] },
      ],
    });
    expect(toCql2Json(parseCql2Text("platform NOT IN ('sentinel-2a', 'sentinel-2b')"))).toEqual({
      op: "not",
      args: [{ op: "in", args: [{ property: "platform" }, ["sentinel-2a", "sentinel-2b"]] }],
    });
  });

  it("reads arithmetic with the usual precedence", () => {
    expect(toCql2Json(parseCql2Text("a + b * 2 ^ 2 > 10 % 3"))).toEqual({
      op: ">",
      args: [
        {
          op: "+",
          args: [{ property: "a" }, { op: "*", args: [{ property: "b" }, { op: "^", args: [2, 2] }] }],
        },
        { op: "%", args: [10, 3] },
      ],
    });
  });

  it("reads quoted property names and escaped quotes in strings", () => {
    expect(toCql2Json(parseCql2Text(`"sat:relative orbit" = 'it''s'`))).toEqual({
      op: "=",
      args: [{ property: "sat:relative orbit" }, "it's"],
    });
  });

  it("reads every WKT geometry type and BBOX", () => {
    const wkts = [
      "POINT(10 20)",
      "POINT Z(10 20 30)",
      "LINESTRING(0 0, 1 1)",
      "POLYGON((0 0, 1 0, 1 1, 0 0), (0.2 0.1, 0.8 0.1, 0.8 0.7, 0.2 0.1))",
      "MULTIPOINT((0 0), (1 1))",
      "MULTIPOINT(0 0, 1 1)",
      "MULTILINESTRING((0 0, 1 1), (2 2, 3 3))",
      "MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))",
      "GEOMETRYCOLLECTION(POINT(0 0), LINESTRING(0 0, 1 1))",
      "BBOX(-10, -5, 10, 5)",
    ];
    for (const wkt of wkts) {
      const expr = parseCql2Text(`S_INTERSECTS(geometry, ${wkt})`);
      expect(parseCql2Text(toCql2Text(expr))).toEqual(expr);
    }
    expect(toCql2Json(parseCql2Text("S_INTERSECTS(geometry, MULTIPOINT(0 0, 1 1))"))).toEqual(
      toCql2Json(parseCql2Text("S_INTERSECTS(geometry, MULTIPOINT((0 0), (1 1)))")),
    );
  });

  it("round-trips text → AST → text → AST and text → json → AST", () => {
    const filters = [
      "eo:cloud_cover < 10 AND collection = 'sentinel-2-l2a'",
      "(a = 1 OR b = 2) AND NOT (c = 3)",
      "x IS NULL OR y IS NOT NULL",
      "name NOT LIKE 'S2\\_%' AND n NOT BETWEEN 1 AND 2",
      "CASEI(road_class) IN (CASEI('Οδος'), CASEI('Straße'))",
      "ACCENTI(etat_vol) = ACCENTI('débárquér')",
      "T_DURING(INTERVAL(start_datetime, end_datetime), INTERVAL('2017-06-10T07:30:00Z', '..'))",
      "T_AFTER(datetime, DATE('2021-01-01')) AND T_BEFORE(datetime, TIMESTAMP('2022-01-01T00:00:00Z'))",
      "A_OVERLAPS(keywords, ('a', 'b')) AND A_CONTAINEDBY(tags, ('x'))",
      "S_CROSSES(geometry, LINESTRING(0 0, 1 1)) OR S_DISJOINT(geometry, BBOX(0, 0, 1, 1))",
      "(a + 1) * 2 - b div 3 >= -4.5e-3",
      "a - (b - c) = 0 AND -x < 2",
      '"point" = 1 AND "and" = TRUE',
      "TRUE",
      "flag",
      "height < floors * 3",
    ];
    for (const f of filters) {
      const expr = parseCql2Text(f);
      expect(parseCql2Text(toCql2Text(expr)), f).toEqual(expr);
      expect(parseCql2Json(toCql2Json(expr)), f).toEqual(expr);
      expect(parseCql2Json(JSON.stringify(toCql2Json(expr))), f).toEqual(expr);
    }
  });

  it("reports syntax errors with the position and what was expected", () => {
    expect(errorOf(() => parseCql2Text("eo:cloud_cover < 10 AND )"))).toBe(
      "filter: unexpected token ')' at position 24, expected a value",
    );
    expect(errorOf(() => parseCql2Text("a = 1 AND (b = 2"))).toBe(
      "filter: unexpected end of input at position 16, expected ')' or an operator",
    );
    expect(errorOf(() => parseCql2Text("a = 1 b = 2"))).toBe(
      "filter: unexpected token 'b' at position 6, expected an operator or end of input",
    );
    expect(errorOf(() => parseCql2Text("a = 'open"))).toBe("filter: unterminated string at position 4");
    expect(errorOf(() => parseCql2Text("a = 1 ; b"))).toBe("filter: unexpected character ';' at position 6");
    expect(errorOf(() => parseCql2Text("a BETWEEN 1 OR 2"))).toMatch(/position 12, expected AND between/);
    expect(errorOf(() => parseCql2Text("a IS 1"))).toMatch(/position 5, expected NULL or NOT NULL/);
    expect(errorOf(() => parseCql2Text("   "))).toBe("filter: the filter is empty");
    expect(errorOf(() => parseCql2Text("a = ", { param: "q" }))).toBe(
      "q: unexpected end of input at position 4, expected a value",
    );
  });

  it("rejects unknown functions, wrong arity and wrong operand types", () => {
    expect(errorOf(() => parseCql2Text("a = 1 AND NEAR(geometry, POINT(0 0))"))).toBe(
      "filter: unknown function 'NEAR' at position 10",
    );
    expect(errorOf(() => parseCql2Text("S_INTERSECTS(geometry)"))).toBe(
      "filter: S_INTERSECTS expects 2 arguments, got 1 at position 0",
    );
    expect(errorOf(() => parseCql2Text("T_AFTER(datetime, 5)"))).toBe(
      "filter: argument 2 of T_AFTER must be a timestamp, date or interval, got a number at position 0",
    );
    expect(errorOf(() => parseCql2Text("S_WITHIN(geometry, '2020')"))).toMatch(
      /argument 2 of S_WITHIN must be a geometry/,
    );
    expect(errorOf(() => parseCql2Text("'a' < 5"))).toBe(
      "filter: '<' cannot compare a string with a number at position 4",
    );
    expect(errorOf(() => parseCql2Text("a + 1"))).toBe(
      "filter: the filter must be a boolean expression, got a number at position 0",
    );
    expect(errorOf(() => parseCql2Text("a = NULL"))).toMatch(/NULL is only allowed in IS NULL/);
    expect(errorOf(() => parseCql2Text("a = TIMESTAMP('yesterday')"))).toMatch(
      /'yesterday' is not an RFC 3339 timestamp .* position 14/,
    );
    expect(errorOf(() => parseCql2Text("a = DATE('2021-02-30')"))).toMatch(/'2021-02-30' is not a date/);
  });

  it("rejects invalid WKT with a clear reason", () => {
    const cases: [string, RegExp][] = [
      [
        "POLYGON((0 0, 1 0, 1 1, 0 1))",
        /invalid POLYGON \(the outer ring of a polygon is not closed.*position 23/,
      ],
      ["POLYGON((0 0, 1 0, 0 0))", /needs at least 4 positions, got 3/],
      ["LINESTRING(0 0)", /a linestring needs at least 2 positions, got 1/],
      ["POINT(0 95)", /latitude 95 is out of range \[-90, 90\]/],
      ["POINT(200 0)", /longitude 200 is out of range/],
      ["POINT(a b)", /unexpected token 'a' at position 29, expected a coordinate number/],
      ["POINT(1 2", /unexpected end of input at position 33, expected ',' or '\)'/],
      ["POINT EMPTY", /empty geometries are not supported/],
      ["BBOX(0, 10, 1)", /a bbox needs 4 numbers/],
      ["BBOX(0, 10, 1, 5)", /bbox south 10 is greater than north 5/],
    ];
    for (const [wkt, message] of cases) {
      expect(
        errorOf(() => parseCql2Text(`S_INTERSECTS(geometry, ${wkt})`)),
        wkt,
      ).toMatch(message);
    }
  });

  it("rejects pathological nesting instead of overflowing the stack", () => {
    expect(errorOf(() => parseCql2Text(`${"(".repeat(5000)}a = 1${")".repeat(5000)}`))).toMatch(
      /nested more than/,
    );
    expect(errorOf(() => parseCql2Text(`${"NOT ".repeat(5000)}a = 1`))).toMatch(/nested more than/);
    expect(errorOf(() => parseCql2Text(`a = ${Array(5000).fill("1").join(" + ")}`))).toMatch(
      /nested more than/,
    );
    expect(parseCql2Text(Array(2000).fill("a = 1").join(" AND ")).kind).toBe("and");
  });

  it("throws nothing but BadRequestError for random input", () => {
    const alphabet = [
      "a",
      "(",
      ")",
      "'",
      '"',
      ",",
      " ",
      "=",
      "<",
      ">",
      "-",
      "1",
      ".",
      "e",
      "AND ",
      "NOT ",
      "POINT",
      "INTERVAL(",
      "BBOX(",
      "S_INTERSECTS(",
      "%",
      "\\",
      "é",
      "\u0000",
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 3000; n++) {
      const text = Array.from(
        { length: 1 + Math.floor(random() * 30) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join("");
      try {
        const expr = parseCql2Text(text);
        expect(parseCql2Text(toCql2Text(expr))).toEqual(expr);
        expect(typeof evaluateCql2(expr, makeItem({ a: "x" }))).toBe("boolean");
      } catch (err) {
        expect(err, text).toBeInstanceOf(BadRequestError);
      }
    }
  });
});
