// Decodes what the catalogue needs from the first sections of one GRIB message (WMO FM 92): centre,
// valid time and grid extent. Works on as many bytes as have been read: when a field lies beyond them it
// says how many it needs, so a walk can read a few hundred bytes per message instead of a fixed window.
import { ProductError } from "../../errors.ts";

export interface GribMessage {
  edition: 1 | 2;
  centre: number;
  /** Reference time + forecast step, ISO UTC. */
  validTime: string;
  /** [west, south, east, north] of a lat/lon or Gaussian grid, longitudes as the file writes them. */
  extent?: [number, number, number, number] | undefined;
  /** The grid closes round the globe in longitude (its last column plus one step reaches the first). */
  global?: boolean;
}

export type HeaderParse = { message: GribMessage; headBytes: number } | { need: number };

/** Parses the message in `dv` (its first bytes) whose indicator section says `edition` and `length`. */
export function parseGribHeader(dv: DataView, edition: 1 | 2, length: number, offset: number): HeaderParse {
  return edition === 2 ? parseGrib2(dv, length, offset) : parseGrib1(dv, length, offset);
}

/** GRIB stores signed numbers as sign bit + magnitude. */
function signed(value: number, bits: number): number {
  const sign = 2 ** (bits - 1);
  return value >= sign ? -(value - sign) : value;
}

function u24(dv: DataView, at: number): number {
  return (dv.getUint16(at) << 8) | dv.getUint8(at + 2);
}

function iso(y: number, mo: number, d: number, h: number, mi: number, s = 0, plusHours = 0): string {
  return new Date(Date.UTC(y, mo - 1, d, h + plusHours, mi, s)).toISOString().replace(".000Z", "Z");
}

/** A grid's box from its first and last points; `step` (degrees between columns) closes a global grid. */
function gridExtent(
  la1: number,
  lo1: number,
  la2: number,
  lo2: number,
  iNegative: boolean,
  step: number | undefined,
): Pick<GribMessage, "extent" | "global"> {
  const west = iNegative ? lo2 : lo1;
  const east = iNegative ? lo1 : lo2;
  const span = (((east - west) % 360) + 360) % 360;
  // A grid spanning >= 355° (e.g. 0..355 by 5°) closes round the globe once its last step is added.
  const global = span >= 355 || east - west >= 355 || (step !== undefined && span + step >= 360 - 1e-3);
  return { extent: [west, Math.min(la1, la2), east, Math.max(la1, la2)], global };
}

function parseGrib1(dv: DataView, length: number, offset: number): HeaderParse {
  const p = 8; // product definition section
  if (p + 28 > length)
    throw new ProductError(`corrupt GRIB1 message at offset ${offset}: no product section`);
  if (p + 28 > dv.byteLength) return { need: p + 28 };
  const pdsLength = u24(dv, p);
  const century = dv.getUint8(p + 24);
  const year = (century - 1) * 100 + dv.getUint8(p + 12);
  const unit = dv.getUint8(p + 17);
  const step = unit === 1 && dv.getUint8(p + 20) === 0 ? dv.getUint8(p + 18) : 0;
  const validTime = iso(
    year,
    dv.getUint8(p + 13),
    dv.getUint8(p + 14),
    dv.getUint8(p + 15),
    dv.getUint8(p + 16),
    0,
    step,
  );
  const message: GribMessage = { edition: 1, centre: dv.getUint8(p + 4), validTime };
  const g = p + pdsLength; // grid description section, when flagged present
  if (!(dv.getUint8(p + 7) & 0x80) || g + 28 > length) return { message, headBytes: p + 28 };
  if (g + 28 > dv.byteLength) return { need: g + 28 };
  const type = dv.getUint8(g + 5);
  if (type === 0 || type === 4) {
    // 0: lat/lon, 4: Gaussian (regular, or reduced when Ni is missing); millidegrees.
    const di = dv.getUint16(g + 23);
    const increments = (dv.getUint8(g + 16) & 0x80) !== 0 && di !== 0xffff;
    const n = dv.getUint16(g + 25);
    const step = increments ? di / 1000 : type === 4 && n > 0 ? 90 / n : undefined;
    Object.assign(
      message,
      gridExtent(
        signed(u24(dv, g + 10), 24) / 1000,
        signed(u24(dv, g + 13), 24) / 1000,
        signed(u24(dv, g + 17), 24) / 1000,
        signed(u24(dv, g + 20), 24) / 1000,
        (dv.getUint8(g + 27) & 0x80) !== 0,
        step,
      ),
    );
  }
  return { message, headBytes: g + 28 };
}

function parseGrib2(dv: DataView, length: number, offset: number): HeaderParse {
  let at = 16;
  let centre = 0;
  let ref: number[] = [];
  let stepHours = 0;
  let headBytes = 16;
  let grid: Pick<GribMessage, "extent" | "global"> = {};
  /** Whether bytes [0, end) are in hand; records how far the parse looked. */
  const has = (end: number) => {
    headBytes = Math.max(headBytes, end);
    return end <= dv.byteLength;
  };
  // Sections 1 to 4 of the first field; section 5 (data representation) always follows section 4.
  while (at + 5 <= length) {
    if (!has(at + 5)) return { need: at + 5 };
    const sectionLength = dv.getUint32(at);
    const number = dv.getUint8(at + 4);
    if (sectionLength < 5 || number > 7 || number >= 5) break;
    if (number === 1) {
      if (!has(at + 19)) return { need: at + 19 };
      centre = dv.getUint16(at + 5);
      ref = [
        dv.getUint16(at + 12),
        dv.getUint8(at + 14),
        dv.getUint8(at + 15),
        dv.getUint8(at + 16),
        dv.getUint8(at + 17),
        dv.getUint8(at + 18),
      ];
    } else if (number === 3 && at + 72 <= length) {
      if (!has(at + 72)) return { need: at + 72 };
      const template = dv.getUint16(at + 12);
      if (template === 0 || template === 40) {
        // 3.0 lat/lon and 3.40 Gaussian share the layout up to Di; 3.40 has N where 3.0 has Dj.
        const basic = dv.getUint32(at + 38);
        const sub = dv.getUint32(at + 42);
        const unit = basic === 0 || basic === 0xffffffff ? 1e-6 : basic / (sub || 1);
        const di = dv.getUint32(at + 63);
        const increments = (dv.getUint8(at + 54) & 0x20) !== 0 && di !== 0xffffffff;
        const n = dv.getUint32(at + 67);
        const step = increments ? di * unit : template === 40 && n > 0 ? 90 / n : undefined;
        grid = gridExtent(
          signed(dv.getUint32(at + 46), 32) * unit,
          signed(dv.getUint32(at + 50), 32) * unit,
          signed(dv.getUint32(at + 55), 32) * unit,
          signed(dv.getUint32(at + 59), 32) * unit,
          (dv.getUint8(at + 71) & 0x80) !== 0,
          step,
        );
      }
    } else if (number === 4) {
      if (!has(at + 9)) return { need: at + 9 };
      if ([0, 1, 8, 11].includes(dv.getUint16(at + 7)) && at + 22 <= length) {
        if (!has(at + 22)) return { need: at + 22 };
        const unit = dv.getUint8(at + 17);
        const value = dv.getUint32(at + 18);
        stepHours = unit === 1 ? value : unit === 0 ? value / 60 : unit === 2 ? value * 24 : 0;
      }
      break;
    }
    at += sectionLength;
  }
  if (ref.length === 0) {
    throw new ProductError(`corrupt GRIB2 message at offset ${offset}: no identification section`);
  }
  const validTime = iso(ref[0]!, ref[1]!, ref[2]!, ref[3]!, ref[4]!, ref[5]!, stepHours);
  return { message: { edition: 2, centre, validTime, ...grid }, headBytes };
}
