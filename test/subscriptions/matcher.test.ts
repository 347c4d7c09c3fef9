// The cell index only narrows the subscriptions to test: the matches must be exactly those of testing
// every subscription, for areas from a field to the globe, points, filters and intervals.
import { describe, expect, it } from "vitest";
import { randomChangedItem, randomSubscriptions, rng } from "../../dev/bench/subscriptions.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { summarize } from "../../shared/index/rows.ts";
import { evaluateCql2 } from "../../shared/search/cql2/index.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { type Matchable, type MatchStats, SubscriptionMatcher } from "../../shared/subscriptions/matcher.ts";
import { compileSearch } from "../../shared/subscriptions/model.ts";

/** The reference: every subscription's full test, no index. */
function bruteForce(subs: Matchable[], item: StacItem): string[] {
  const sum = summarize(item, "");
  return subs
    .filter((s) => {
      const q = s.search;
      if (q.collections && !q.collections.has(item.collection!)) return false;
      if (sum.start > q.interval.to || sum.end < q.interval.from) return false;
      if (q.geometry && !intersects(sum.geometry!, q.geometry)) return false;
      return !q.filter || evaluateCql2(q.filter, item);
    })
    .map((s) => s.id)
    .sort();
}

describe("subscription matcher", () => {
  it("finds exactly the subscriptions a full test of each finds, testing few of them", () => {
    const r = rng(23);
    const subs = randomSubscriptions(r, 1000);
    const matcher = new SubscriptionMatcher(subs);
    const stats: MatchStats = { candidates: 0 };
    let matches = 0;
    for (let i = 0; i < 200; i++) {
      const item = randomChangedItem(r, i);
      const got = matcher
        .match(item, "created", stats)
        .map((s) => s.id)
        .sort();
      expect(got, item.id).toEqual(bruteForce(subs, item));
      matches += got.length;
    }
    expect(matches).toBeGreaterThan(200); // the generator makes overlapping subscriptions
    // Candidates per item are a small share of all subscriptions (global ones are always candidates).
    expect(stats.candidates / 200).toBeLessThan(subs.length / 5);
  });

  it("tells subscriptions apart by event kind, and gives an item without a footprint to area-less ones only", () => {
    const sub = (id: string, search: Record<string, unknown>, events: Matchable["events"]): Matchable => ({
      id,
      events,
      search: compileSearch(search),
    });
    const matcher = new SubscriptionMatcher([
      sub("anywhere-created", {}, ["created"]),
      sub("anywhere-deleted", {}, ["deleted"]),
      sub("area-created", { bbox: [-180, -90, 180, 90] }, ["created"]),
      sub("other-collection", { collections: ["nope"] }, ["created"]),
    ]);
    const item = { ...randomChangedItem(rng(2), 0), geometry: null } as unknown as StacItem;
    expect(matcher.match(item, "created").map((s) => s.id)).toEqual(["anywhere-created"]);
    const located = randomChangedItem(rng(2), 0);
    expect(
      matcher
        .match(located, "created")
        .map((s) => s.id)
        .sort(),
    ).toEqual(["anywhere-created", "area-created"]);
    expect(matcher.match(located, "deleted").map((s) => s.id)).toEqual(["anywhere-deleted"]);
  });
});
