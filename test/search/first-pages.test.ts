// First pages sized from row estimates: enough for one round when the estimates hold, little more.
import { describe, expect, it } from "vitest";
import { expectedFirstPages } from "../../shared/search/first-pages.ts";
import type { PlannedQuery } from "../../shared/search/planner.ts";

const DAY = 86_400_000;
const stream = (rows: number, hitRate = 1, days = 1000): PlannedQuery => ({
  pk: "x",
  estimate: { rows, from: 0, to: days * DAY, hitRate },
});

describe("expectedFirstPages", () => {
  it("reads more than the expected rows of the wanted matches, and not twice as many", () => {
    // Two equal streams, all rows match: 101 wanted.
    const pages = expectedFirstPages([stream(10_000), stream(10_000)], 101)!;
    const total = pages.reduce((s, n) => s + n, 0);
    expect(total).toBeGreaterThan(101 * 1.1);
    expect(total).toBeLessThan(101 * 1.5);
    expect(pages[0]).toBeCloseTo(pages[1]!, 6);
  });

  it("gives a small page relatively more margin than a large one (counts vary by √n)", () => {
    const small = expectedFirstPages([stream(10_000)], 11)![0]! / 11;
    const large = expectedFirstPages([stream(10_000)], 101)![0]! / 101;
    expect(small).toBeGreaterThan(large);
  });

  it("reads rows in proportion to each stream's rate and match rate", () => {
    const [dense, sparse, diluted] = expectedFirstPages(
      [stream(20_000), stream(2_000), stream(20_000, 0.1)],
      101,
    )!;
    expect(dense!).toBeGreaterThan(sparse! * 4);
    // A stream whose rows rarely match reaches back to the same instant: as many rows as the dense one.
    expect(diluted).toBeCloseTo(dense!, 6);
  });

  it("reads more when filters the planner cannot see may drop rows", () => {
    const plain = expectedFirstPages([stream(10_000)], 11)![0]!;
    const filtered = expectedFirstPages([stream(10_000)], 11, true)![0]!;
    expect(filtered).toBeGreaterThan(plain * 1.3);
  });

  it("reads ranges whole when they hold fewer matches than wanted, and gives up without estimates", () => {
    const [page] = expectedFirstPages([stream(40, 0.5)], 101)!;
    expect(page!).toBeGreaterThanOrEqual(40);
    expect(expectedFirstPages([stream(40), { pk: "y" }], 101)).toBeUndefined();
  });
});
