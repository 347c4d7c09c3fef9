// RFC 3339 instants and intervals as STAC's `datetime` parameter spells them.
import { BadRequestError } from "../errors.ts";
import { MAX_TIME, MIN_TIME } from "../index/time.ts";

export interface Interval {
  from: string;
  to: string;
}

export const ALL_TIME: Interval = { from: MIN_TIME, to: MAX_TIME };

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))?$/;

export function parseInstant(value: string, name = "datetime"): string {
  const m = RFC3339.exec(value.trim());
  const t = m ? Date.parse(m[4] === undefined ? `${value.trim()}T00:00:00Z` : value.trim()) : Number.NaN;
  if (!m || Number.isNaN(t) || Number(m[2]) > 12 || Number(m[3]) > 31 || Number(m[4] ?? 0) > 23) {
    throw new BadRequestError(
      `${name}: '${value}' is not an RFC 3339 date-time (expected e.g. 2024-05-01T00:00:00Z, an interval a/b, or ../b)`,
    );
  }
  return new Date(t).toISOString();
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** The last millisecond of a date-only value's day (parsed as its midnight, UTC). */
const endOfDay = (midnight: string) => new Date(Date.parse(midnight) + 86_399_999).toISOString();

/**
 * `datetime` as a single instant, a closed interval, or a half-open one with `..` or an empty end. An
 * RFC 3339 full-date (`2024-05-14`) is its whole UTC day: alone, from 00:00:00Z to 23:59:59.999Z; as
 * the start of an interval from its midnight, as the end to its last millisecond.
 */
export function parseDatetime(value: string): Interval {
  const v = value.trim();
  if (v === "") throw new BadRequestError("datetime: empty value");
  const parts = v.split("/");
  if (parts.length === 1) {
    const t = parseInstant(v);
    return { from: t, to: DATE_ONLY.test(v) ? endOfDay(t) : t };
  }
  if (parts.length !== 2) throw new BadRequestError(`datetime: '${value}' has more than one '/'`);
  const open = (s: string) => s === "" || s === "..";
  const [a, b] = parts as [string, string];
  if (open(a) && open(b)) throw new BadRequestError("datetime: an interval needs at least one bounded end");
  const from = open(a) ? MIN_TIME : parseInstant(a);
  let to = open(b) ? MAX_TIME : parseInstant(b);
  // A date-only end covers that whole day.
  if (!open(b) && DATE_ONLY.test(b.trim())) to = endOfDay(to);
  if (from > to) throw new BadRequestError(`datetime: start ${a} is after end ${b}`);
  return { from, to };
}
