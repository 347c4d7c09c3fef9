// Lists a zip archive from its end: End Of Central Directory (+ Zip64 records) in one ranged read from
// the tail, then the central directory in (at most) one more. Nothing else of the archive is touched.
import { ProductError } from "../errors.ts";
import type { RangeReader } from "./range-reader.ts";
import {
  CENTRAL_HEADER_SIZE,
  DEFAULT_LIMITS,
  EOCD_SIZE,
  MAX_COMMENT,
  SIG_CENTRAL,
  SIG_EOCD,
  SIG_LOCAL,
  SIG_ZIP64_EOCD,
  SIG_ZIP64_LOCATOR,
  u64,
  view,
  ZIP64_EOCD_SIZE,
  ZIP64_EXTRA_ID,
  ZIP64_LOCATOR_SIZE,
  type ZipLimits,
} from "./zip-format.ts";

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** Length of the extra field in the central directory (the local one is often the same). */
  extraLength: number;
  isDirectory: boolean;
}

export interface ZipArchive {
  readonly reader: RangeReader;
  readonly entries: ZipEntry[];
  /** Where the central directory starts: every member's data lies before it. */
  readonly centralDirectoryOffset: number;
  entry(name: string): ZipEntry | undefined;
}

interface Directory {
  offset: number;
  size: number;
  count: number;
}

const utf8 = new TextDecoder("utf-8");

export async function openZip(reader: RangeReader, limits: ZipLimits = DEFAULT_LIMITS): Promise<ZipArchive> {
  if (reader.size < EOCD_SIZE) throw new ProductError(`not a zip archive: only ${reader.size} bytes`);
  const tailStart = Math.max(0, reader.size - (EOCD_SIZE + MAX_COMMENT));
  const tail = await reader.read(tailStart, reader.size);
  const eocdAt = findEocd(tail);
  if (eocdAt < 0) throw await notZipError(reader);
  const dir = readDirectoryLocation(tail, eocdAt, tailStart, reader.size);
  if (dir.size > limits.maxCentralDirectoryBytes) {
    throw new ProductError(
      `zip central directory of ${dir.size} bytes exceeds the ${limits.maxCentralDirectoryBytes} allowed`,
    );
  }
  if (dir.count > limits.maxEntries) {
    throw new ProductError(`zip lists ${dir.count} entries, more than the ${limits.maxEntries} allowed`);
  }
  if (dir.offset + dir.size > reader.size) {
    throw new ProductError(
      `truncated or corrupt zip: central directory [${dir.offset}, ${dir.offset + dir.size}) lies beyond the end of the ${reader.size}-byte object`,
    );
  }
  const cd =
    dir.offset >= tailStart
      ? tail.subarray(dir.offset - tailStart, dir.offset - tailStart + dir.size)
      : await reader.read(dir.offset, dir.offset + dir.size);
  const entries = parseCentralDirectory(cd, dir);
  const byName = new Map(entries.map((e) => [e.name, e]));
  return { reader, entries, centralDirectoryOffset: dir.offset, entry: (name) => byName.get(name) };
}

function findEocd(tail: Uint8Array): number {
  const dv = view(tail);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (dv.getUint32(i, true) !== SIG_EOCD) continue;
    const commentLength = dv.getUint16(i + 20, true);
    if (i + EOCD_SIZE + commentLength <= tail.length) return i;
  }
  return -1;
}

async function notZipError(reader: RangeReader): Promise<ProductError> {
  const head = await reader.read(0, Math.min(4, reader.size));
  if (head.length === 4 && view(head).getUint32(0, true) === SIG_LOCAL) {
    return new ProductError(
      "truncated zip archive: it starts like a zip but has no end of central directory record",
    );
  }
  return new ProductError("not a zip archive: no end of central directory record");
}

function readDirectoryLocation(tail: Uint8Array, at: number, tailStart: number, total: number): Directory {
  const dv = view(tail);
  let dir: Directory = {
    count: dv.getUint16(at + 10, true),
    size: dv.getUint32(at + 12, true),
    offset: dv.getUint32(at + 16, true),
  };
  const locatorAt = at - ZIP64_LOCATOR_SIZE;
  if (locatorAt >= 0 && dv.getUint32(locatorAt, true) === SIG_ZIP64_LOCATOR) {
    const recordOffset = u64(dv, locatorAt + 8);
    const local = recordOffset - tailStart;
    if (local < 0 || local + ZIP64_EOCD_SIZE > tail.length || recordOffset + ZIP64_EOCD_SIZE > total) {
      throw new ProductError(
        `corrupt zip64 archive: zip64 end of central directory at ${recordOffset} is out of reach`,
      );
    }
    if (dv.getUint32(local, true) !== SIG_ZIP64_EOCD) {
      throw new ProductError(
        `corrupt zip64 archive: no zip64 end of central directory record at ${recordOffset}`,
      );
    }
    dir = { count: u64(dv, local + 32), size: u64(dv, local + 40), offset: u64(dv, local + 48) };
  } else if (dir.count === 0xffff || dir.size === 0xffffffff || dir.offset === 0xffffffff) {
    throw new ProductError("corrupt zip64 archive: zip64 values announced but no zip64 locator found");
  }
  return dir;
}

function parseCentralDirectory(cd: Uint8Array, dir: Directory): ZipEntry[] {
  const dv = view(cd);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < dir.count; i++) {
    if (p + CENTRAL_HEADER_SIZE > cd.length || dv.getUint32(p, true) !== SIG_CENTRAL) {
      throw new ProductError(`corrupt zip central directory: entry ${i} of ${dir.count} has no valid header`);
    }
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const next = p + CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (next > cd.length) throw new ProductError(`corrupt zip central directory: entry ${i} overruns it`);
    const name = utf8.decode(cd.subarray(p + CENTRAL_HEADER_SIZE, p + CENTRAL_HEADER_SIZE + nameLength));
    const entry: ZipEntry = {
      name,
      flags: dv.getUint16(p + 8, true),
      method: dv.getUint16(p + 10, true),
      crc32: dv.getUint32(p + 16, true),
      compressedSize: dv.getUint32(p + 20, true),
      size: dv.getUint32(p + 24, true),
      localHeaderOffset: dv.getUint32(p + 42, true),
      extraLength,
      isDirectory: name.endsWith("/"),
    };
    const extraStart = p + CENTRAL_HEADER_SIZE + nameLength;
    applyZip64Extra(entry, cd.subarray(extraStart, extraStart + extraLength));
    if (entry.localHeaderOffset + entry.compressedSize > dir.offset) {
      throw new ProductError(
        `corrupt zip central directory: member ${name} lies beyond the start of the directory`,
      );
    }
    entries.push(entry);
    p = next;
  }
  return entries;
}

/** Zip64 extra field: the 64-bit values, in this order, only for the fields saturated at 0xFFFFFFFF. */
function applyZip64Extra(entry: ZipEntry, extra: Uint8Array): void {
  const needs =
    entry.size === 0xffffffff ||
    entry.compressedSize === 0xffffffff ||
    entry.localHeaderOffset === 0xffffffff;
  if (!needs) return;
  const dv = view(extra);
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = dv.getUint16(p, true);
    const length = dv.getUint16(p + 2, true);
    if (id === ZIP64_EXTRA_ID) {
      let q = p + 4;
      const end = q + length;
      const take = (): number => {
        if (q + 8 > end || q + 8 > extra.length) {
          throw new ProductError(`corrupt zip64 extra field for member ${entry.name}`);
        }
        const v = u64(dv, q);
        q += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
      return;
    }
    p += 4 + length;
  }
  throw new ProductError(`corrupt zip: member ${entry.name} needs a zip64 extra field and has none`);
}
