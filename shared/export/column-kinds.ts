// What Parquet type a column of JSON values gets: each value's kind, merged over every row, so that a
// column is as typed as its values allow and otherwise JSON text — never a type that would lose data.

/**
 * string, int (INT64), double, bool; timestamp (INT64 microseconds, UTC, from RFC 3339 text that reads
 * back the same); lists of strings or numbers; json (text; also what tells a JSON null from no value).
 */
export type Kind = "string" | "int" | "double" | "bool" | "timestamp" | "strings" | "numbers" | "json";

/** A column being inferred: its kind so far (undefined: nothing but absent values or empty lists). */
export interface KindState {
  kind?: Kind | undefined;
  /** Only empty lists seen so far (a list kind of its own, decided by the other rows). */
  emptyList?: boolean;
  /** Fraction widths that write every timestamp so far back as it was ("min": as few as needed). */
  fits?: TimestampDigits[] | undefined;
  /**
   * No one width writes every timestamp back as it was: the shortest form is used, and the text of the
   * values it does not give back is kept beside them (geoparquet-write.ts, TIMESTAMP_TEXT_COLUMN).
   */
  mixed?: boolean;
}

export type TimestampDigits = 0 | 3 | 6 | "min";

const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/;

/** Microseconds since 1970 of an RFC 3339 UTC instant, or undefined when it is not one of ours. */
export function parseMicros(s: string): { micros: bigint; digits: number } | undefined {
  const m = RFC3339_UTC.exec(s);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds)) return undefined;
  const frac = m[2] ?? "";
  return { micros: BigInt(seconds) * 1000n + BigInt(frac.padEnd(6, "0")), digits: frac.length };
}

export function formatMicros(micros: bigint, digits: TimestampDigits): string {
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = (((micros % 1_000_000n) + 1_000_000n) % 1_000_000n).toString().padStart(6, "0");
  if (digits === "min") {
    const trimmed = frac.replace(/0+$/, "");
    return `${base}${trimmed ? `.${trimmed}` : ""}Z`;
  }
  return `${base}${digits ? `.${frac.slice(0, digits)}` : ""}Z`;
}

/** A timestamp's text reads back the same under one of the fixed widths, or as the shortest form. */
function timestampDigits(s: string): TimestampDigits[] | undefined {
  const p = parseMicros(s);
  if (!p) return undefined;
  const out: TimestampDigits[] = [];
  for (const d of [0, 3, 6] as const) if (formatMicros(p.micros, d) === s) out.push(d);
  if (formatMicros(p.micros, "min") === s) out.push("min");
  return out.length ? out : undefined;
}

function kindOf(v: unknown, timestamps: boolean): Kind | "empty" {
  if (typeof v === "string") return timestamps && timestampDigits(v) ? "timestamp" : "string";
  if (typeof v === "number") return Number.isSafeInteger(v) && !Object.is(v, -0) ? "int" : "double";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) {
    if (v.length === 0) return "empty";
    if (v.every((x) => typeof x === "string")) return "strings";
    if (v.every((x) => typeof x === "number" && !Object.is(x, -0))) return "numbers";
  }
  return "json";
}

function merge(a: Kind, b: Kind): Kind {
  if (a === b) return a;
  const pair = new Set([a, b]);
  if (pair.has("int") && pair.has("double")) return "double";
  if (pair.has("string") && pair.has("timestamp")) return "string";
  return "json";
}

/**
 * Adds one value (undefined: absent in this row). A JSON null makes the column JSON, where it is the
 * text `null` and an absent value is a Parquet null.
 */
export function addValue(state: KindState, v: unknown, timestamps = false): void {
  if (v === undefined) return;
  if (v === null) {
    state.kind = "json";
    return;
  }
  const k = kindOf(v, timestamps);
  if (k === "empty") {
    if (state.kind === undefined) state.emptyList = true;
    else if (state.kind !== "strings" && state.kind !== "numbers") state.kind = "json";
    return;
  }
  if (state.emptyList && k !== "strings" && k !== "numbers") state.kind = "json";
  else state.kind = state.kind === undefined ? k : merge(state.kind, k);
  if (state.kind === "timestamp" && typeof v === "string") {
    const fits = timestampDigits(v) ?? [];
    const left = state.fits === undefined ? fits : state.fits.filter((d) => fits.includes(d));
    if (left.length === 0) state.mixed = true;
    state.fits = left;
  }
}

/** The column's final kind (undefined: no value at all). */
export function finalKind(state: KindState): Kind | undefined {
  return state.kind ?? (state.emptyList ? "strings" : undefined);
}

/** How a timestamp column's values are written back as text. */
export const digitsOf = (state: KindState): TimestampDigits =>
  state.mixed ? "min" : (state.fits?.[0] ?? "min");
