// Instants in the index are fixed-width UTC ISO strings, so that string order is time order.

export function toIndexTime(value: string | Date): string {
  const d = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a valid instant: ${String(value)}`);
  return d.toISOString();
}

export const MIN_TIME = "0000-01-01T00:00:00.000Z";
export const MAX_TIME = "9999-12-31T23:59:59.999Z";

/** Shift an index time by ms, clamped to the representable range. */
export function shiftTime(t: string, ms: number): string {
  const v = Date.parse(t) + ms;
  if (v <= Date.parse(MIN_TIME)) return MIN_TIME;
  if (v >= Date.parse(MAX_TIME)) return MAX_TIME;
  return new Date(v).toISOString();
}
