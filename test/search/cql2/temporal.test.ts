import { describe, expect, it } from "vitest";
import { evaluateCql2, parseCql2Text } from "../../../shared/search/cql2/index.ts";
import { makeItem } from "./item.ts";

// The item spans [10:00, 12:00] on 2021-04-08; each row is one relation of Allen's algebra.
const span = makeItem({
  datetime: null,
  start_datetime: "2021-04-08T10:00:00Z",
  end_datetime: "2021-04-08T12:00:00Z",
});
const at = (h: string) => `2021-04-08T${h}:00:00Z`;
const interval = (a: string, b: string) =>
  `INTERVAL('${a === ".." ? ".." : at(a)}', '${b === ".." ? ".." : at(b)}')`;

const rows: [string, string, boolean][] = [
  ["T_AFTER", interval("07", "09"), true],
  ["T_AFTER", interval("07", "10"), false],
  ["T_BEFORE", interval("13", "14"), true],
  ["T_BEFORE", interval("12", "14"), false],
  ["T_CONTAINS", interval("10", "11"), false],
  ["T_CONTAINS", `TIMESTAMP('${at("11")}')`, true],
  ["T_DISJOINT", interval("13", "14"), true],
  ["T_DISJOINT", interval("12", "14"), false],
  ["T_DURING", interval("09", "13"), true],
  ["T_DURING", interval("10", "13"), false],
  ["T_DURING", interval("..", ".."), true],
  ["T_EQUALS", interval("10", "12"), true],
  ["T_EQUALS", interval("10", "13"), false],
  ["T_FINISHEDBY", interval("11", "12"), true],
  ["T_FINISHEDBY", interval("09", "12"), false],
  ["T_FINISHES", interval("09", "12"), true],
  ["T_FINISHES", interval("11", "12"), false],
  ["T_INTERSECTS", interval("12", "14"), true],
  ["T_INTERSECTS", interval("..", "10"), true],
  ["T_INTERSECTS", interval("13", ".."), false],
  ["T_MEETS", interval("12", "14"), true],
  ["T_MEETS", interval("11", "14"), false],
  ["T_METBY", interval("08", "10"), true],
  ["T_METBY", interval("08", "11"), false],
  ["T_OVERLAPPEDBY", interval("09", "11"), true],
  ["T_OVERLAPPEDBY", interval("11", "13"), false],
  ["T_OVERLAPS", interval("11", "13"), true],
  ["T_OVERLAPS", interval("09", "11"), false],
  ["T_STARTEDBY", interval("10", "11"), true],
  ["T_STARTEDBY", interval("10", "13"), false],
  ["T_STARTS", interval("10", "13"), true],
  ["T_STARTS", interval("10", "11"), false],
];

describe("temporal functions", () => {
  it.each(rows)("%s(datetime, %s) is %s for an item with start/end_datetime", (op, other, expected) => {
    expect(evaluateCql2(parseCql2Text(`${op}(datetime, ${other})`), span)).toBe(expected);
  });

  it("treats an item with only datetime as an instant", () => {
    const instant = makeItem({ datetime: at("11") });
    const matches = (f: string) => evaluateCql2(parseCql2Text(f), instant);
    expect(matches(`T_DURING(datetime, ${interval("10", "12")})`)).toBe(true);
    expect(matches(`T_EQUALS(datetime, TIMESTAMP('${at("11")}'))`)).toBe(true);
    expect(matches("T_AFTER(datetime, DATE('2021-04-08'))")).toBe(true);
    expect(matches("T_BEFORE(datetime, DATE('2021-04-09'))")).toBe(true);
    expect(matches(`T_STARTS(datetime, ${interval("11", "..")})`)).toBe(true);
  });

  it("builds intervals from properties and accepts them on either side", () => {
    expect(
      evaluateCql2(
        parseCql2Text(`T_CONTAINS(${interval("09", "13")}, INTERVAL(start_datetime, end_datetime))`),
        span,
      ),
    ).toBe(true);
    expect(evaluateCql2(parseCql2Text("T_INTERSECTS(updated, INTERVAL('2020-01-01', '..'))"), span)).toBe(
      false,
    );
  });

  it("is UNKNOWN (no match, also under NOT) for items without any time", () => {
    const timeless = makeItem({ datetime: null });
    expect(evaluateCql2(parseCql2Text("T_INTERSECTS(datetime, INTERVAL('..', '..'))"), timeless)).toBe(false);
    expect(evaluateCql2(parseCql2Text("NOT T_INTERSECTS(datetime, INTERVAL('..', '..'))"), timeless)).toBe(
      false,
    );
  });
});
