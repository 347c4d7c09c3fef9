// Lists a tar archive over ranged reads: headers are 512-byte blocks in sequence, so we hop from header
// to header, skipping member data. Small members that sit inside a window already read cost nothing.
import { ProductError } from "../http/errors.ts";
import type { RangeReader } from "./range-reader.ts";

export interface TarEntry {
  name: string;
  size: number;
  /** Offset of the member's first data byte in the archive. */
  dataOffset: number;
  headerOffset: number;
}

const BLOCK = 512;
const WINDOW = 64 * 1024;
const MAX_ENTRIES = 100_000;
const latin1 = new TextDecoder("latin1");

export async function listTar(reader: RangeReader): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  let window: { start: number; bytes: Uint8Array } = { start: 0, bytes: new Uint8Array(0) };
  const block = async (at: number): Promise<Uint8Array> => {
    if (at < window.start || at + BLOCK > window.start + window.bytes.length) {
      window = { start: at, bytes: await reader.read(at, Math.min(reader.size, at + WINDOW)) };
    }
    return window.bytes.subarray(at - window.start, at - window.start + BLOCK);
  };
  let at = 0;
  let longName: string | undefined;
  while (at + BLOCK <= reader.size) {
    const header = await block(at);
    if (header.length < BLOCK) break;
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    if (!checksumOk(header)) {
      if (at === 0) throw new ProductError("not a tar archive: first header has a bad checksum");
      throw new ProductError(`corrupt tar archive: bad header checksum at offset ${at}`);
    }
    const size = readNumber(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] ?? 0);
    const dataOffset = at + BLOCK;
    if (dataOffset + size > reader.size) {
      throw new ProductError(`truncated tar archive: member at ${at} needs ${size} bytes beyond the end`);
    }
    if (type === "L" || type === "x") {
      const data = await reader.read(dataOffset, dataOffset + Math.min(size, 64 * 1024));
      longName = type === "L" ? cString(data) : paxPath(data);
    } else if (type === "0" || type === "\0" || type === "7") {
      const prefix = cString(header.subarray(345, 500));
      const short = cString(header.subarray(0, 100));
      const name = longName ?? (prefix ? `${prefix}/${short}` : short);
      entries.push({ name, size, dataOffset, headerOffset: at });
      longName = undefined;
      if (entries.length > MAX_ENTRIES)
        throw new ProductError(`tar archive lists more than ${MAX_ENTRIES} members`);
    } else {
      longName = undefined;
    }
    at = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

function cString(bytes: Uint8Array): string {
  const zero = bytes.indexOf(0);
  return latin1.decode(zero < 0 ? bytes : bytes.subarray(0, zero));
}

/** Octal ASCII, or GNU base-256 when the high bit of the first byte is set (members >= 8 GiB). */
function readNumber(field: Uint8Array): number {
  if ((field[0] ?? 0) & 0x80) {
    let v = (field[0] ?? 0) & 0x7f;
    for (let i = 1; i < field.length; i++) v = v * 256 + (field[i] ?? 0);
    return v;
  }
  const text = cString(field).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function checksumOk(header: Uint8Array): boolean {
  const stored = readNumber(header.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
  return sum === stored;
}

function paxPath(data: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(data);
  const m = /\d+ path=([^\n]*)\n/.exec(text);
  return m?.[1];
}

/** A tar writer for tests and synthetic Landsat scenes (ustar, names up to 100 bytes). */
export function writeTar(files: { name: string; data: Uint8Array | string }[]): Uint8Array {
  const enc = new TextEncoder();
  const blocks: Uint8Array[] = [];
  for (const f of files) {
    const data = typeof f.data === "string" ? enc.encode(f.data) : f.data;
    const header = new Uint8Array(BLOCK);
    header.set(enc.encode(f.name).subarray(0, 100), 0);
    header.set(enc.encode("0000644\0"), 100);
    header.set(enc.encode("0000000\0"), 108);
    header.set(enc.encode("0000000\0"), 116);
    header.set(enc.encode(`${data.length.toString(8).padStart(11, "0")}\0`), 124);
    header.set(enc.encode("00000000000\0"), 136);
    header[156] = 0x30;
    header.set(enc.encode("ustar\u000000"), 257);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] ?? 0);
    header.set(enc.encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
    blocks.push(header, data, new Uint8Array((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  blocks.push(new Uint8Array(BLOCK * 2));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let p = 0;
  for (const b of blocks) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}
