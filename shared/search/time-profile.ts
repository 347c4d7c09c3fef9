// A collection's items over time, from its row counts by quarter (keys.ts `quarterStatName`): archives are
// not uniform in time (a second satellite doubles a mission's rate, a lost one halves it, a mirror
// holds recent years densely), and newest-first searches read exactly the part where that shows.
import { QUARTER_STAT_PREFIX, TIME_STAT } from "../index/keys.ts";

/** Cumulative share of the collection's items at instants (ms), non-decreasing in both. */
export type TimeProfile = readonly (readonly [number, number])[];

/**
 * Quarter counters that account for fewer items than this share of the collection's time rows (items
 * indexed before the counters existed) are not used: the rows are then taken as evenly spread.
 */
const MIN_COVERAGE = 0.9;

const cache = new WeakMap<object, { extent: string; profile: TimeProfile | undefined }>();

/**
 * The profile of these row counts within the collection's time extent [t0, t1] (a quarter's items
 * lie in the part of it within the extent: the newest quarter is a partial one); undefined without
 * (enough) quarter counters.
 */
export function profileOf(
  counts: Readonly<Record<string, number>>,
  [t0, t1]: readonly [number, number],
): TimeProfile | undefined {
  const extent = `${t0}/${t1}`;
  const hit = cache.get(counts);
  if (hit?.extent === extent) return hit.profile;
  const quarters: [number, number, number][] = [];
  let total = 0;
  for (const [name, n] of Object.entries(counts)) {
    if (!name.startsWith(QUARTER_STAT_PREFIX) || !(n > 0)) continue;
    const m = /^(\d{4})Q([1-4])$/.exec(name.slice(QUARTER_STAT_PREFIX.length));
    if (!m) continue;
    const [y, q] = [Number(m[1]), Number(m[2])];
    const start = Math.max(t0, Date.UTC(y, 3 * (q - 1), 1));
    quarters.push([start, Math.max(start, Math.min(t1, Date.UTC(y, 3 * q, 1))), n]);
    total += n;
  }
  let profile: TimeProfile | undefined;
  if (total > 0 && total >= MIN_COVERAGE * (counts[TIME_STAT] ?? 0)) {
    quarters.sort((a, b) => a[0] - b[0]);
    const points: [number, number][] = [];
    let cum = 0;
    for (const [start, end, n] of quarters) {
      points.push([start, cum / total]);
      cum += n;
      points.push([end, cum / total]);
    }
    profile = points;
  }
  cache.set(counts, { extent, profile });
  return profile;
}

/** Share of the profile's items with datetimes before t (linear within a quarter). */
function cumulative(p: TimeProfile, t: number): number {
  if (t <= p[0]![0]) return 0;
  if (t >= p[p.length - 1]![0]) return 1;
  let lo = 0;
  let hi = p.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (p[mid]![0] <= t) lo = mid;
    else hi = mid;
  }
  const [t0, c0] = p[lo]!;
  const [t1, c1] = p[hi]!;
  return t1 > t0 ? c0 + ((c1 - c0) * (t - t0)) / (t1 - t0) : c1;
}

/**
 * Share of the items within [a, b] among those within [from, to] ⊇ [a, b]: by the profile when there
 * is one, else in proportion to time.
 */
export function shareWithin(
  p: TimeProfile | undefined,
  [from, to]: readonly [number, number],
  a: number,
  b: number,
): number {
  const lo = Math.max(a, from);
  const hi = Math.min(b, to);
  if (hi < lo) return 0;
  if (p) {
    const whole = cumulative(p, to) - cumulative(p, from);
    if (whole > 0) return (cumulative(p, hi) - cumulative(p, lo)) / whole;
  }
  return to > from ? (hi - lo) / (to - from) : 1;
}
