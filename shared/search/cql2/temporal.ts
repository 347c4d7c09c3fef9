// CQL2 temporal predicates: Allen's interval relations over [start, end] in epoch milliseconds.
// An instant is an interval with start = end; an open end ('..') is -Infinity / +Infinity.
import type { TemporalOp } from "./ast.ts";

export interface Time {
  kind: "time";
  start: number;
  end: number;
}

export function instant(ms: number): Time {
  return { kind: "time", start: ms, end: ms };
}

/** Parses an RFC 3339 timestamp or a date (midnight UTC); null if it is neither. */
export function parseInstant(value: string): number | null {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? null : ms;
}

export function temporalRelation(op: TemporalOp, a: Time, b: Time): boolean {
  const { start: as, end: ae } = a;
  const { start: bs, end: be } = b;
  switch (op) {
    case "t_after":
      return as > be;
    case "t_before":
      return ae < bs;
    case "t_contains":
      return as < bs && ae > be;
    case "t_disjoint":
      return ae < bs || as > be;
    case "t_during":
      return as > bs && ae < be;
    case "t_equals":
      return as === bs && ae === be;
    case "t_finishedby":
      return as < bs && ae === be;
    case "t_finishes":
      return as > bs && ae === be;
    case "t_intersects":
      return as <= be && ae >= bs;
    case "t_meets":
      return ae === bs;
    case "t_metby":
      return as === be;
    case "t_overlappedby":
      return as > bs && as < be && ae > be;
    case "t_overlaps":
      return as < bs && ae > bs && ae < be;
    case "t_startedby":
      return as === bs && ae > be;
    case "t_starts":
      return as === bs && ae < be;
  }
}
