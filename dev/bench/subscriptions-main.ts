// `npm run bench:subs`: what matching one changed item costs with 10,000 subscriptions (cell index, then
// the full search test on the candidates), against testing every subscription. Options: --subs N
// --items N --seed S --json FILE.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { intersects } from "../../shared/geo/geometry.ts";
import { summarize } from "../../shared/index/rows.ts";
import { evaluateCql2 } from "../../shared/search/cql2/index.ts";
import {
  type MatchStats,
  SubscriptionMatcher,
  subscriptionCells,
} from "../../shared/subscriptions/matcher.ts";
import { randomChangedItem, randomSearch, randomSubscriptions, rng } from "./subscriptions.ts";

const { values } = parseArgs({
  options: {
    subs: { type: "string", default: "10000" },
    items: { type: "string", default: "2000" },
    seed: { type: "string", default: "23" },
    json: { type: "string" },
  },
});
const nSubs = Number(values.subs);
const nItems = Number(values.items);
const r = rng(Number(values.seed));

const generated = randomSubscriptions(r, nSubs);
// Covers are computed once per subscription, when it is made (and stored with it)…
let t = performance.now();
const subs = generated.map((s) => ({ ...s, cells: subscriptionCells(s.search) }));
const coverMs = performance.now() - t;
// …so that a dispatcher run builds its index from stored cells.
t = performance.now();
const matcher = new SubscriptionMatcher(subs);
const buildMs = performance.now() - t;
const items = Array.from({ length: nItems }, (_, i) => randomChangedItem(r, i));

const perItem: number[] = [];
const stats: MatchStats = { candidates: 0 };
let matches = 0;
for (const item of items.slice(0, 50)) matcher.match(item, "created"); // warm up
const cpu0 = process.cpuUsage();
for (const item of items) {
  t = performance.now();
  matches += matcher.match(item, "created", stats).length;
  perItem.push((performance.now() - t) * 1000);
}
const cpu = process.cpuUsage(cpu0);
perItem.sort((a, b) => a - b);
const q = (p: number) => perItem[Math.min(perItem.length - 1, Math.floor(p * perItem.length))]!;

// The reference: every subscription's full test for each item (a sample: it is slow).
const sample = items.slice(0, Math.min(200, nItems));
t = performance.now();
for (const item of sample) {
  const sum = summarize(item, "");
  for (const s of subs) {
    const x = s.search;
    if (x.collections && !x.collections.has(item.collection!)) continue;
    if (sum.start > x.interval.to || sum.end < x.interval.from) continue;
    if (x.geometry && !intersects(sum.geometry!, x.geometry)) continue;
    if (x.filter) evaluateCql2(x.filter, item);
  }
}
const bruteUs = ((performance.now() - t) * 1000) / sample.length;
// What the dispatcher reads from DynamoDB: the subscriptions once per run (one partition, ~1 MB pages).
const recordBytes = subs.length === 0 ? 0 : JSON.stringify(randomSearch(rng(1))).length + 400;
const result = {
  date: new Date().toISOString(),
  subscriptions: nSubs,
  items: nItems,
  coverMsPerSubscription: +(coverMs / nSubs).toFixed(2),
  buildMs: Math.round(buildMs),
  cpuUsPerItem: Math.round((cpu.user + cpu.system) / nItems),
  matchUs: { median: +q(0.5).toFixed(1), p95: +q(0.95).toFixed(1), p99: +q(0.99).toFixed(1) },
  candidatesPerItem: +(stats.candidates / nItems).toFixed(1),
  matchesPerItem: +(matches / nItems).toFixed(2),
  bruteForceUsPerItem: Math.round(bruteUs),
  dynamoReadsPerItem: 0,
  dynamoPagesPerRun: Math.ceil((nSubs * recordBytes) / 1_000_000),
};
console.log(`subscriptions ${nSubs}, changed items ${nItems} (seed ${values.seed})`);
console.log(
  `  covers: ${result.coverMsPerSubscription} ms per subscription (once, at creation); index from stored cells: ${result.buildMs} ms per run`,
);
console.log(`  CPU per item (mean): ${result.cpuUsPerItem} µs`);
console.log(
  `  matching per item: median ${result.matchUs.median} µs, p95 ${result.matchUs.p95} µs, p99 ${result.matchUs.p99} µs`,
);
console.log(
  `  candidates tested per item: ${result.candidatesPerItem}; matches per item: ${result.matchesPerItem}`,
);
console.log(`  every subscription tested instead: ${result.bruteForceUsPerItem} µs per item`);
console.log(
  `  DynamoDB reads per item: 0 (subscriptions are read once per dispatcher run: ~${result.dynamoPagesPerRun} query pages)`,
);
if (values.json) writeFileSync(values.json, JSON.stringify(result, null, 2));
