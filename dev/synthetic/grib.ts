// Synthetic GRIB files (ERA5-like months of hourly fields) planned as header bytes and zero runs, so that
// a 1.6 GB month is served by byte range without being held.
import { planToBytes, readPlanRange } from "../../shared/zip/zip-output.ts";
import type { ZipPart } from "../../shared/zip/zip-writer.ts";
import type { SyntheticArchive } from "./common.ts";
import { encodeGribMessage, type GribGrid, type GribMessageSpec } from "./grib-message.ts";

export interface GribFilePlan {
  size: number;
  parts: ZipPart[];
  /** Where each message starts. */
  offsets: number[];
}

export function planGribFile(messages: Iterable<GribMessageSpec>): GribFilePlan {
  const parts: ZipPart[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const spec of messages) {
    const m = encodeGribMessage(spec);
    offsets.push(at);
    parts.push({ offset: at, bytes: m.head });
    if (m.zeros > 0) parts.push({ offset: at + m.head.length, zeros: m.zeros });
    parts.push({ offset: at + m.head.length + m.zeros, bytes: m.tail });
    at += m.length;
  }
  return { size: at, parts, offsets };
}

/** A small GRIB file whole, for tests. */
export function gribFileBytes(messages: Iterable<GribMessageSpec>): Uint8Array {
  return planToBytes({ ...planGribFile(messages), members: [] });
}

export interface Era5MonthOptions {
  edition?: 1 | 2;
  year?: number;
  /** 1-12. */
  month?: number;
  /** Hours to write (a 31-day month has 744). */
  hours?: number;
  /** Parameters written for every hour, interleaved in this order; their packing sets their length. */
  params?: { param: number; bitsPerValue: number }[];
  grid?: GribGrid;
  /** Overrides the packing of one message, e.g. a constant field (0 bits) in the middle of the month. */
  bitsOf?: (hour: number, param: number) => number | undefined;
  prefix?: string;
}

/** ERA5 single levels as the CDS delivers a month: one message per hour and parameter. */
export function planEra5Month(o: Era5MonthOptions = {}): SyntheticArchive & GribFilePlan {
  const edition = o.edition ?? 1;
  const year = o.year ?? 2024;
  const month = o.month ?? 1;
  const hours = o.hours ?? new Date(Date.UTC(year, month, 0)).getUTCDate() * 24;
  const params = o.params ?? [
    { param: 167, bitsPerValue: 16 },
    { param: 228, bitsPerValue: 12 },
  ];
  // Europe at 0.25° as a CDS area request returns it (longitudes 0..360): ~220 KB a field at 16 bits.
  const grid: GribGrid = o.grid ?? {
    type: "regular_ll",
    la1: 75,
    lo1: 320,
    la2: 15,
    lo2: 75,
    di: 0.25,
    dj: 0.25,
  };
  function* messages(): Generator<GribMessageSpec> {
    for (let h = 0; h < hours; h++) {
      const time = new Date(Date.UTC(year, month - 1, 1, h));
      for (const [i, p] of params.entries()) {
        const bits = o.bitsOf?.(h, i) ?? p.bitsPerValue;
        yield { edition, time, param: p.param, grid, bitsPerValue: bits };
      }
    }
  }
  const plan = planGribFile(messages());
  const name = `era5-${year}-${String(month).padStart(2, "0")}-${params.length}p-grib${edition}`;
  return {
    ...plan,
    key: `${o.prefix ?? ""}${name}.grib`,
    name,
    contentType: "application/x-grib",
    read: (start, end) => readPlanRange({ ...plan, members: [] }, start, end),
  };
}

/** A packing width in min..min+spread-1 that looks random (a hash of the message number), so that
 *  message lengths rarely repeat: the worst case for a walk that predicts offsets. */
export function scatteredBits(message: number, min = 9, spread = 8): number {
  let x = Math.imul(message ^ (message >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return min + (((x ^ (x >>> 16)) >>> 0) % spread);
}
