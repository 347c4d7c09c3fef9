// The first round from row estimates: every stream reads back to one horizon, where the streams
// together are expected to hold the wanted matches and a margin; enough for one round, little more.
import { describe, expect, it } from "vitest";
import { firstRound } from "../../shared/search/first-pages.ts";
import type { PlannedQuery } from "../../shared/search/plan/types.ts";

const DAY = 86_400_000;
const stream = (rows: number, hitRate = 1, days = 1000): PlannedQuery => ({
  pk: "x",
  estimate: { rows, from: 0, to: days * DAY, hitRate },
});
const sum = (xs: number[]) => xs.reduce((s, n) => s + n, 0);

describe("firstRound", () => {
  it("expects more than the wanted matches, and not twice as many", () => {
    // Two equal streams, all rows match: 100 wanted.
    const round = firstRound([stream(10_000), stream(10_000)], 100)!;
    expect(sum(round.expected)).toBeGreaterThan(100 * 1.1);
    expect(sum(round.expected)).toBeLessThan(100 * 1.5);
    expect(round.expected[0]).toBeCloseTo(round.expected[1]!, 6);
    // Both read back to the same instant: 1000 days × 116 / 20,000 rows ≈ 5.8 days.
    expect(round.horizon! / DAY).toBeGreaterThan(990);
    expect(round.horizon! / DAY).toBeLessThan(996);
  });

  it("pools the margin: many sparse streams expect hardly more rows than one dense stream", () => {
    const one = sum(firstRound([stream(28_000)], 10)!.expected);
    const many = sum(
      firstRound(
        Array.from({ length: 28 }, () => stream(1_000)),
        10,
      )!.expected,
    );
    expect(many).toBeCloseTo(one, 6);
    expect(many).toBeLessThan(10 * 1.6);
  });

  it("counts an item with rows in several ranges once: ranges holding the same items read back further", () => {
    // Ten ranges of one area's cells, every item a row in two of them: half as many distinct matches.
    const cells = (distinct?: number) =>
      Array.from(
        { length: 10 },
        (): PlannedQuery => ({
          pk: "x",
          estimate: { rows: 2_000, from: 0, to: 1000 * DAY, hitRate: 1, distinct },
        }),
      );
    const once = firstRound(cells(), 10)!;
    const twice = firstRound(cells(0.5), 10)!;
    expect(sum(twice.expected)).toBeCloseTo(2 * sum(once.expected), 2);
    expect(twice.horizon!).toBeLessThan(once.horizon!);
  });

  it("gives a small page relatively more margin than a large one (counts vary by √n)", () => {
    const small = firstRound([stream(10_000)], 10)!.expected[0]! / 10;
    const large = firstRound([stream(10_000)], 100)!.expected[0]! / 100;
    expect(small).toBeGreaterThan(large);
  });

  it("expects rows in proportion to each stream's rate and match rate", () => {
    const [dense, sparse, diluted] = firstRound(
      [stream(20_000), stream(2_000), stream(20_000, 0.1)],
      100,
    )!.expected;
    expect(dense!).toBeGreaterThan(sparse! * 4);
    // A stream whose rows rarely match reaches back to the same instant: as many rows as the dense one.
    expect(diluted).toBeCloseTo(dense!, 6);
  });

  it("lets each stream read well beyond its expected rows (a burst costs no round), a near-empty one at least 2", () => {
    const round = firstRound([stream(10_000), stream(10)], 10)!;
    expect(round.limits[0]).toBeGreaterThan(2 * round.expected[0]!);
    expect(round.limits[1]).toBeGreaterThanOrEqual(2);
  });

  it("expects more when filters the planner cannot see may drop rows", () => {
    const plain = firstRound([stream(10_000)], 10)!.expected[0]!;
    const filtered = firstRound([stream(10_000)], 10, true)!.expected[0]!;
    expect(filtered).toBeGreaterThan(plain * 1.3);
  });

  it("reads ranges whole when they hold fewer matches than wanted, and gives up without estimates", () => {
    const round = firstRound([stream(40, 0.5)], 100)!;
    expect(round.horizon).toBeUndefined();
    expect(round.limits[0]!).toBeGreaterThanOrEqual(40);
    expect(firstRound([stream(40), { pk: "y" }], 100)).toBeUndefined();
  });
});
