// Walks a GRIB 1/2 file message by message with small ranged reads of the section headers only:
// each message's length says where the next one starts, so data sections are never read.
import { ProductError } from "../../http/errors.ts";
import type { RangeReader } from "../../zip/range-reader.ts";

export interface GribMessage {
  edition: 1 | 2;
  centre: number;
  /** Reference time + forecast step, ISO UTC. */
  validTime: string;
  /** [west, south, east, north] of a regular lat/lon grid, when the grid is one. */
  extent?: [number, number, number, number] | undefined;
}

const HEADER_WINDOW = 16 * 1024;
const MAX_MESSAGES = 20_000;

export async function walkGrib(reader: RangeReader): Promise<GribMessage[]> {
  const messages: GribMessage[] = [];
  let at = 0;
  while (at + 8 <= reader.size && messages.length < MAX_MESSAGES) {
    const head = await reader.read(at, Math.min(reader.size, at + HEADER_WINDOW));
    if (ascii(head, 0, 4) !== "GRIB") {
      if (messages.length === 0) throw new ProductError("not a GRIB file: no GRIB indicator at offset 0");
      if (head.every((b) => b === 0)) break; // padding at the end of some files
      throw new ProductError(`corrupt GRIB file: no GRIB indicator at offset ${at}`);
    }
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const edition = head[7];
    const length =
      edition === 2 ? dv.getUint32(8) * 2 ** 32 + dv.getUint32(12) : (dv.getUint32(4) >>> 8) & 0xffffff;
    if (edition !== 1 && edition !== 2)
      throw new ProductError(`unsupported GRIB edition ${edition} at offset ${at}`);
    if (length < 16 || at + length > reader.size)
      throw new ProductError(`truncated GRIB message at offset ${at}`);
    messages.push(edition === 2 ? parseGrib2(dv) : parseGrib1(dv));
    at += length;
  }
  return messages;
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
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

function parseGrib1(dv: DataView): GribMessage {
  const p = 8; // PDS
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
  let extent: GribMessage["extent"];
  const g = p + pdsLength;
  if (dv.getUint8(p + 7) & 0x80 && g + 28 <= dv.byteLength && dv.getUint8(g + 5) === 0) {
    const la1 = signed(u24(dv, g + 10), 24) / 1000;
    const lo1 = signed(u24(dv, g + 13), 24) / 1000;
    const la2 = signed(u24(dv, g + 17), 24) / 1000;
    const lo2 = signed(u24(dv, g + 20), 24) / 1000;
    extent = [lo1, Math.min(la1, la2), lo2, Math.max(la1, la2)];
  }
  return { edition: 1, centre: dv.getUint8(p + 4), validTime, extent };
}

function parseGrib2(dv: DataView): GribMessage {
  let at = 16;
  let centre = 0;
  let reference = "";
  let ref: number[] = [];
  let extent: GribMessage["extent"];
  let stepHours = 0;
  while (at + 5 <= dv.byteLength) {
    const length = dv.getUint32(at);
    const number = dv.getUint8(at + 4);
    if (length < 5 || number > 7) break;
    if (number === 1) {
      centre = dv.getUint16(at + 5);
      ref = [
        dv.getUint16(at + 12),
        dv.getUint8(at + 14),
        dv.getUint8(at + 15),
        dv.getUint8(at + 16),
        dv.getUint8(at + 17),
        dv.getUint8(at + 18),
      ];
    } else if (number === 3 && at + 72 <= dv.byteLength && dv.getUint16(at + 12) === 0) {
      const basic = dv.getUint32(at + 38);
      const sub = dv.getUint32(at + 42);
      const unit = basic === 0 || basic === 0xffffffff ? 1e-6 : basic / (sub || 1);
      const la1 = signed(dv.getUint32(at + 46), 32) * unit;
      const lo1 = signed(dv.getUint32(at + 50), 32) * unit;
      const la2 = signed(dv.getUint32(at + 55), 32) * unit;
      const lo2 = signed(dv.getUint32(at + 59), 32) * unit;
      extent = [lo1, Math.min(la1, la2), lo2, Math.max(la1, la2)];
    } else if (number === 4 && at + 22 <= dv.byteLength && [0, 1, 8, 11].includes(dv.getUint16(at + 7))) {
      const unit = dv.getUint8(at + 17);
      const value = dv.getUint32(at + 18);
      stepHours = unit === 1 ? value : unit === 0 ? value / 60 : unit === 2 ? value * 24 : 0;
    } else if (number >= 5) break;
    at += length;
  }
  if (ref.length === 0) throw new ProductError("corrupt GRIB2 message: no identification section");
  reference = iso(ref[0]!, ref[1]!, ref[2]!, ref[3]!, ref[4]!, ref[5]!, stepHours);
  return { edition: 2, centre, validTime: reference, extent };
}
