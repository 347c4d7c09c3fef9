// The OData `$filter` subset of the DHuS facade's Products, read into the q language's tree.
import { describe, expect, it } from "vitest";
import { odataOrderBy, parseODataFilter } from "../../shared/dhus/odata-filter.ts";

describe("OData $filter", () => {
  it("reads name functions, comparisons, and/or/not with DHuS's precedence", () => {
    expect(parseODataFilter("substringof('S2A',Name)")).toEqual({
      kind: "term",
      field: "identifier",
      value: "*S2A*",
    });
    expect(parseODataFilter("startswith(Name,'S1') and not endswith(Name, 'x''y')")).toEqual({
      kind: "and",
      args: [
        { kind: "term", field: "identifier", value: "S1*" },
        { kind: "not", arg: { kind: "term", field: "identifier", value: "*x'y" } },
      ],
    });
    expect(
      parseODataFilter(
        "IngestionDate gt datetime'2024-01-01T00:00:00' or (ContentDate/End le datetime'2023-01-01T00:00:00')",
      ),
    ).toEqual({
      kind: "or",
      args: [
        {
          kind: "range",
          field: "ingestiondate",
          lo: "2024-01-01T00:00:00",
          hi: "*",
          loIncl: false,
          hiIncl: true,
        },
        {
          kind: "range",
          field: "endposition",
          lo: "*",
          hi: "2023-01-01T00:00:00",
          loIncl: true,
          hiIncl: true,
        },
      ],
    });
    expect(parseODataFilter("")).toEqual({ kind: "and", args: [] });
  });

  it("names what it does not take", () => {
    expect(() => parseODataFilter("Online eq true")).toThrow(/cannot filter on 'Online'/);
    expect(() => parseODataFilter("Name gt 'a'")).toThrow(/Name takes eq or ne/);
    expect(() => parseODataFilter("substringof('a',Name")).toThrow(/expected '\)'/);
    expect(() => parseODataFilter("Name eq 'a' Name")).toThrow(/unexpected 'Name'/);
    expect(() => parseODataFilter("Name eq 'a")).toThrow(/\$filter: unexpected/);
    expect(odataOrderBy("IngestionDate desc, Name")).toBe("ingestiondate desc,identifier asc");
    expect(() => odataOrderBy("Online")).toThrow(/cannot sort on 'Online'/);
  });
});
