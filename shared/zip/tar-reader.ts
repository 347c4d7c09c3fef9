// Lists a tar archive over ranged reads. Headers are 512-byte blocks in sequence, so the walk hops from
// header to header skipping member data (chain-walk.ts: read-ahead windows that grow over runs of small
// members, and parallel reads when member sizes repeat). Small members that come with their headers are
// kept, so reading a product's metadata file after listing costs no request.
import { ProductError } from "../errors.ts";
import { type ChainFormat, type ChainOptions, walkChain } from "./chain-walk.ts";
import type { RangeReader } from "./range-reader.ts";

export interface TarEntry {
  name: string;
  size: number;
  /** Offset of the member's first data byte in the archive. */
  dataOffset: number;
  headerOffset: number;
  /** The member's bytes, when it is small and came with the reads of the headers. */
  data?: Uint8Array;
}

const BLOCK = 512;
const MAX_ENTRIES = 100_000;
/** Members up to this size are read with their header (metadata files: MTL, ANG, manifests). */
const SMALL_MEMBER = 64 * 1024;
/** At most this many bytes of small members are kept per listing. */
const KEEP_BYTES = 1024 * 1024;
const MAX_LONG_NAME = 64 * 1024;
const latin1 = new TextDecoder("latin1");

interface TarRecord {
  type: string;
  /** The ustar name (prefix/name). */
  name: string;
  size: number;
  /** The name a GNU long-name (L) or pax (x) record gives the next member. */
  longName?: string | undefined;
  data?: Uint8Array;
}

/** Tars hold few, large members more often than many small ones: read-ahead starts at 64 KiB. */
const TAR_READS: Partial<ChainOptions> = { firstWindow: 64 * 1024, hopWindow: 64 * 1024 };

/** The folder all members share (`"scene/"`), or "" for a flat tar: paths inside a product start after it. */
export function commonFolder(entries: readonly { name: string }[]): string {
  const first = entries[0]?.name ?? "";
  const slash = first.indexOf("/");
  const folder = first.slice(0, slash + 1);
  return slash > 0 && entries.every((e) => e.name.startsWith(folder)) ? folder : "";
}

export async function listTar(reader: RangeReader, options: Partial<ChainOptions> = {}): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  let longName: string | undefined;
  for await (const { offset, value: r } of walkChain(reader, tarFormat(), { ...TAR_READS, ...options })) {
    if (r.type === "L" || r.type === "x") {
      longName = r.longName;
    } else if (r.type === "0" || r.type === "\0" || r.type === "7") {
      entries.push({
        name: longName ?? r.name,
        size: r.size,
        dataOffset: offset + BLOCK,
        headerOffset: offset,
        ...(r.data ? { data: r.data } : {}),
      });
      longName = undefined;
      if (entries.length > MAX_ENTRIES)
        throw new ProductError(`tar archive lists more than ${MAX_ENTRIES} members`);
    } else {
      longName = undefined;
    }
  }
  return entries;
}

function tarFormat(): ChainFormat<TarRecord> {
  let keep = KEEP_BYTES;
  return {
    minRecord: BLOCK,
    probe(bytes, at, rest) {
      if (bytes.length < BLOCK) return { kind: "need", bytes: BLOCK };
      const header = bytes.subarray(0, BLOCK);
      if (header.every((b) => b === 0)) return { kind: "end" }; // end-of-archive marker
      if (!checksumOk(header)) {
        if (at === 0) throw new ProductError("not a tar archive: first header has a bad checksum");
        throw new ProductError(`corrupt tar archive: bad header checksum at offset ${at}`);
      }
      const size = readNumber(header.subarray(124, 136));
      const type = String.fromCharCode(header[156] ?? 0);
      if (BLOCK + size > rest) {
        throw new ProductError(`truncated tar archive: member at ${at} needs ${size} bytes beyond the end`);
      }
      const length = BLOCK + Math.ceil(size / BLOCK) * BLOCK;
      const prefix = cString(header.subarray(345, 500));
      const short = cString(header.subarray(0, 100));
      const name = prefix ? `${prefix}/${short}` : short;
      if (type === "L" || type === "x") {
        const end = BLOCK + Math.min(size, MAX_LONG_NAME);
        if (bytes.length < end) return { kind: "need", bytes: end };
        const data = bytes.subarray(BLOCK, end);
        const longName = type === "L" ? cString(data) : paxPath(data);
        return { kind: "record", length, value: { type, name, size, longName }, headBytes: end };
      }
      const record: TarRecord = { type, name, size };
      if (size > SMALL_MEMBER || size > keep || !(type === "0" || type === "\0" || type === "7")) {
        return { kind: "record", length, value: record, headBytes: BLOCK };
      }
      // A small member: read it with its header and the next header, which the walk needs next anyway.
      if (bytes.length < BLOCK + size) return { kind: "need", bytes: Math.min(rest, length + BLOCK) };
      record.data = bytes.slice(BLOCK, BLOCK + size);
      keep -= size;
      return { kind: "record", length, value: record, headBytes: BLOCK + size };
    },
  };
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
