// Plans a zip archive (stored or deflated members, zip64 when needed) as a list of parts, so that it
// can be written out in chunks or served by byte range without holding large placeholder members.
import { deflateRawSync } from "node:zlib";
import { crc32, crc32OfZeros } from "./crc32.ts";
import {
  CENTRAL_HEADER_SIZE,
  EOCD_SIZE,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATE,
  METHOD_STORED,
  SIG_CENTRAL,
  SIG_EOCD,
  SIG_LOCAL,
  SIG_ZIP64_EOCD,
  SIG_ZIP64_LOCATOR,
  ZIP64_EOCD_SIZE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_SIZE,
} from "./zip-format.ts";

export type ZipInput =
  | { name: string; data: Uint8Array | string; method?: "store" | "deflate" }
  /** A stored member of `size` zero bytes that is never materialised (sparse placeholder). */
  | { name: string; zeros: number };

export type ZipPart = { offset: number; bytes: Uint8Array } | { offset: number; zeros: number };

export interface PlannedMember {
  name: string;
  localHeaderOffset: number;
  dataOffset: number;
  compressedSize: number;
  size: number;
  method: number;
  crc32: number;
}

export interface ZipPlan {
  size: number;
  parts: ZipPart[];
  members: PlannedMember[];
}

const MAX32 = 0xffffffff;
const encoder = new TextEncoder();
/** Fixed DOS timestamp (2020-01-01 00:00) so that the same inputs give the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

export function planZip(inputs: ZipInput[], opts: { forceZip64?: boolean } = {}): ZipPlan {
  const parts: ZipPart[] = [];
  const members: PlannedMember[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const push = (part: ZipPart, length: number) => {
    parts.push(part);
    offset += length;
  };
  for (const input of inputs) {
    const name = encoder.encode(input.name);
    const m = memberData(input);
    const zip64 = opts.forceZip64 === true || m.size >= MAX32 || offset >= MAX32;
    const member: PlannedMember = {
      name: input.name,
      localHeaderOffset: offset,
      dataOffset: 0,
      compressedSize: m.compressedSize,
      size: m.size,
      method: m.method,
      crc32: m.crc,
    };
    const local = localHeader(name, member, zip64);
    push({ offset, bytes: local }, local.length);
    member.dataOffset = offset;
    if (m.bytes) push({ offset, bytes: m.bytes }, m.bytes.length);
    else if (m.size > 0) push({ offset, zeros: m.size }, m.size);
    members.push(member);
    central.push(centralHeader(name, member, zip64));
  }
  const cdOffset = offset;
  for (const c of central) push({ offset, bytes: c }, c.length);
  const cdSize = offset - cdOffset;
  const needZip64 =
    opts.forceZip64 === true || cdOffset >= MAX32 || offset >= MAX32 || members.length >= 0xffff;
  const tail = endRecords(members.length, cdOffset, cdSize, offset, needZip64);
  push({ offset, bytes: tail }, tail.length);
  return { size: offset, parts, members };
}

function memberData(input: ZipInput): {
  bytes?: Uint8Array;
  size: number;
  compressedSize: number;
  method: number;
  crc: number;
} {
  if ("zeros" in input) {
    return {
      size: input.zeros,
      compressedSize: input.zeros,
      method: METHOD_STORED,
      crc: crc32OfZeros(input.zeros),
    };
  }
  const data = typeof input.data === "string" ? encoder.encode(input.data) : input.data;
  const crc = crc32(data);
  if (input.method === "store")
    return { bytes: data, size: data.length, compressedSize: data.length, method: 0, crc };
  const deflated = new Uint8Array(deflateRawSync(data));
  return { bytes: deflated, size: data.length, compressedSize: deflated.length, method: METHOD_DEFLATE, crc };
}

function putU64(dv: DataView, at: number, value: number): void {
  dv.setUint32(at, value % 0x1_0000_0000, true);
  dv.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
}

function localHeader(name: Uint8Array, m: PlannedMember, zip64: boolean): Uint8Array {
  const extraLength = zip64 ? 20 : 0;
  const out = new Uint8Array(LOCAL_HEADER_SIZE + name.length + extraLength);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, SIG_LOCAL, true);
  dv.setUint16(4, zip64 ? 45 : 20, true);
  dv.setUint16(6, 0x0800, true); // UTF-8 names
  dv.setUint16(8, m.method, true);
  dv.setUint16(10, DOS_TIME, true);
  dv.setUint16(12, DOS_DATE, true);
  dv.setUint32(14, m.crc32, true);
  dv.setUint32(18, zip64 ? MAX32 : m.compressedSize, true);
  dv.setUint32(22, zip64 ? MAX32 : m.size, true);
  dv.setUint16(26, name.length, true);
  dv.setUint16(28, extraLength, true);
  out.set(name, LOCAL_HEADER_SIZE);
  if (zip64) {
    const at = LOCAL_HEADER_SIZE + name.length;
    dv.setUint16(at, ZIP64_EXTRA_ID, true);
    dv.setUint16(at + 2, 16, true);
    putU64(dv, at + 4, m.size);
    putU64(dv, at + 12, m.compressedSize);
  }
  return out;
}

function centralHeader(name: Uint8Array, m: PlannedMember, zip64: boolean): Uint8Array {
  const extraLength = zip64 ? 28 : 0;
  const out = new Uint8Array(CENTRAL_HEADER_SIZE + name.length + extraLength);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, SIG_CENTRAL, true);
  dv.setUint16(4, (3 << 8) | 45, true); // made by Unix, spec 4.5
  dv.setUint16(6, zip64 ? 45 : 20, true);
  dv.setUint16(8, 0x0800, true);
  dv.setUint16(10, m.method, true);
  dv.setUint16(12, DOS_TIME, true);
  dv.setUint16(14, DOS_DATE, true);
  dv.setUint32(16, m.crc32, true);
  dv.setUint32(20, zip64 ? MAX32 : m.compressedSize, true);
  dv.setUint32(24, zip64 ? MAX32 : m.size, true);
  dv.setUint16(28, name.length, true);
  dv.setUint16(30, extraLength, true);
  dv.setUint32(38, name.at(-1) === 0x2f ? (0o40755 << 16) >>> 0 : (0o100644 << 16) >>> 0, true);
  dv.setUint32(42, zip64 ? MAX32 : m.localHeaderOffset, true);
  out.set(name, CENTRAL_HEADER_SIZE);
  if (zip64) {
    const at = CENTRAL_HEADER_SIZE + name.length;
    dv.setUint16(at, ZIP64_EXTRA_ID, true);
    dv.setUint16(at + 2, 24, true);
    putU64(dv, at + 4, m.size);
    putU64(dv, at + 12, m.compressedSize);
    putU64(dv, at + 20, m.localHeaderOffset);
  }
  return out;
}

function endRecords(count: number, cdOffset: number, cdSize: number, at: number, zip64: boolean): Uint8Array {
  const out = new Uint8Array((zip64 ? ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE : 0) + EOCD_SIZE);
  const dv = new DataView(out.buffer);
  let p = 0;
  if (zip64) {
    dv.setUint32(0, SIG_ZIP64_EOCD, true);
    putU64(dv, 4, ZIP64_EOCD_SIZE - 12);
    dv.setUint16(12, 45, true);
    dv.setUint16(14, 45, true);
    putU64(dv, 24, count);
    putU64(dv, 32, count);
    putU64(dv, 40, cdSize);
    putU64(dv, 48, cdOffset);
    dv.setUint32(56, SIG_ZIP64_LOCATOR, true);
    putU64(dv, 64, at);
    dv.setUint32(72, 1, true);
    p = ZIP64_EOCD_SIZE + ZIP64_LOCATOR_SIZE;
  }
  dv.setUint32(p, SIG_EOCD, true);
  dv.setUint16(p + 8, zip64 ? 0xffff : count, true);
  dv.setUint16(p + 10, zip64 ? 0xffff : count, true);
  dv.setUint32(p + 12, zip64 ? MAX32 : cdSize, true);
  dv.setUint32(p + 16, zip64 ? MAX32 : cdOffset, true);
  return out;
}
