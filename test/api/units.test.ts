// Pure pieces of the search extensions: sort order and positions, fields projection, the query
// extension's translation to CQL2, free-text terms, and content negotiation of encodings.
import { describe, expect, it } from "vitest";
import { chooseEncoding } from "../../lambdas/api/app.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { evaluateCql2 } from "../../shared/search/cql2/index.ts";
import { applyFields, parseFields } from "../../shared/search/fields.ts";
import { matchesText, parseQ } from "../../shared/search/free-text.ts";
import { parseQuery } from "../../shared/search/query-extension.ts";
import { makeOrder, parseSortby } from "../../shared/search/sort.ts";
import { makeItem } from "./seed.ts";

const summary = (id: string, props: Record<string, unknown>, datetime = "2024-01-01T00:00:00Z") =>
  buildItemRows(makeItem({ id, collection: "c", datetime, lon: 0, lat: 0, properties: props }), "v").summary;

describe("sort", () => {
  it("parses GET and POST spellings", () => {
    expect(parseSortby("+a,-properties.b,c", "query")).toEqual([
      { field: "a", direction: "asc" },
      { field: "b", direction: "desc" },
      { field: "c", direction: "asc" },
    ]);
    expect(() => parseSortby([{ field: "a", direction: "sideways" }], "body")).toThrow(/direction/);
    expect(() => parseSortby(",", "query")).toThrow(/at least one/);
  });

  it("orders numbers, puts missing values last both ways, and breaks ties by id", () => {
    const rows = [summary("x", { n: 2 }), summary("y", {}), summary("z", { n: 1 }), summary("w", { n: 2 })];
    const asc = makeOrder([{ field: "n", direction: "asc" }]);
    expect([...rows].sort(asc.compare).map((s) => s.id)).toEqual(["z", "w", "x", "y"]);
    const desc = makeOrder([{ field: "n", direction: "desc" }]);
    expect([...rows].sort(desc.compare).map((s) => s.id)).toEqual(["x", "w", "z", "y"]);
    const pos = desc.position(rows[0]!);
    expect(rows.filter((s) => desc.isAfter(s, pos)).map((s) => s.id)).toEqual(["y", "z", "w"]);
  });
});

describe("fields", () => {
  const item = {
    type: "Feature",
    stac_version: "1.1.0",
    id: "a",
    links: [],
    geometry: 1,
    assets: { x: 1 },
    properties: { datetime: "t", a: 1, b: 2 },
  };

  it("excludes, includes on top of the default set, and lets the more specific path win", () => {
    expect(applyFields(item, parseFields("-assets,-properties.a", "query"))).toEqual({
      type: "Feature",
      stac_version: "1.1.0",
      id: "a",
      links: [],
      geometry: 1,
      properties: { datetime: "t", b: 2 },
    });
    expect(applyFields(item, { include: ["properties.b"], exclude: ["geometry", "assets"] })).toEqual({
      type: "Feature",
      stac_version: "1.1.0",
      id: "a",
      links: [],
      properties: { datetime: "t", b: 2 },
    });
    expect(() => parseFields({ include: ["a"], drop: [] }, "body")).toThrow(/unknown member 'drop'/);
  });
});

describe("query extension", () => {
  const it0 = makeItem({
    id: "a",
    collection: "c",
    datetime: "2024-01-01T00:00:00Z",
    lon: 0,
    lat: 0,
    properties: { t: "50%_off", n: 5 },
  });

  it("translates every operator, escaping LIKE wildcards", () => {
    const yes = (q: unknown) => evaluateCql2(parseQuery(q), it0);
    expect(yes({ n: { gt: 4, lte: 5, neq: 6 } })).toBe(true);
    expect(yes({ n: { in: [1, 5] } })).toBe(true);
    expect(yes({ t: { startsWith: "50%" } })).toBe(true);
    expect(yes({ t: { contains: "%_" } })).toBe(true);
    expect(yes({ t: { endsWith: "x_off" } })).toBe(false);
    expect(() => parseQuery({ n: { lt: [1] } })).toThrow(/'n'.lt/);
    expect(() => parseQuery("{")).toThrow(/JSON/);
  });
});

describe("free text", () => {
  it("splits on commas and spaces, keeps quoted phrases, ORs terms", () => {
    expect(parseQ('sea ice,"open water"', "query")).toEqual(["sea", "ice", "open water"]);
    expect(matchesText({ id: "x", title: "Open water", keywords: ["a"] }, ["open water"])).toBe(true);
    expect(matchesText({ id: "x", title: "Open  water" }, ["open water"])).toBe(false);
  });
});

describe("compression negotiation", () => {
  it("prefers br, honours q=0 and wildcards", () => {
    expect(chooseEncoding("gzip, deflate, br")).toBe("br");
    expect(chooseEncoding("gzip")).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(chooseEncoding("*")).toBe("br");
    expect(chooseEncoding("identity")).toBeUndefined();
    expect(chooseEncoding(undefined)).toBeUndefined();
  });
});
