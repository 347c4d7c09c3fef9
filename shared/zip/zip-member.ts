// Reads one member of a zip: its local header and data in one ranged request, inflated under limits.
import { promisify } from "node:util";
import { inflateRaw } from "node:zlib";
import { ProductError } from "../errors.ts";
import { crc32 } from "./crc32.ts";
import {
  DEFAULT_LIMITS,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATE,
  METHOD_STORED,
  SIG_LOCAL,
  view,
  type ZipLimits,
} from "./zip-format.ts";
import type { ZipArchive, ZipEntry } from "./zip-reader.ts";

const inflateRawAsync = promisify(inflateRaw);

/** Bytes read beyond the expected local header, in case its extra field is longer than the central one. */
const LOCAL_EXTRA_SLACK = 256;

export async function readZipMember(
  zip: ZipArchive,
  entry: ZipEntry,
  limits: ZipLimits = DEFAULT_LIMITS,
): Promise<Uint8Array> {
  checkSizes(entry, limits);
  const expectedHeader = LOCAL_HEADER_SIZE + Buffer.byteLength(entry.name) + entry.extraLength;
  const start = entry.localHeaderOffset;
  const guessEnd = Math.min(
    zip.centralDirectoryOffset,
    start + expectedHeader + LOCAL_EXTRA_SLACK + entry.compressedSize,
  );
  let chunk = await zip.reader.read(start, guessEnd);
  if (chunk.length < LOCAL_HEADER_SIZE || view(chunk).getUint32(0, true) !== SIG_LOCAL) {
    throw new ProductError(`corrupt zip: no local header for member ${entry.name} at offset ${start}`);
  }
  const dv = view(chunk);
  const dataStart = LOCAL_HEADER_SIZE + dv.getUint16(26, true) + dv.getUint16(28, true);
  const dataEnd = dataStart + entry.compressedSize;
  if (start + dataEnd > zip.centralDirectoryOffset) {
    throw new ProductError(`truncated or corrupt zip: member ${entry.name} runs into the central directory`);
  }
  if (dataEnd > chunk.length) chunk = await zip.reader.read(start, start + dataEnd);
  const raw = chunk.subarray(dataStart, dataEnd);
  const bytes = entry.method === METHOD_STORED ? raw : await inflate(entry, raw);
  if (bytes.length !== entry.size) {
    throw new ProductError(
      `corrupt zip: member ${entry.name} holds ${bytes.length} bytes, the directory says ${entry.size}`,
    );
  }
  if (crc32(bytes) !== entry.crc32)
    throw new ProductError(`corrupt zip: CRC mismatch in member ${entry.name}`);
  return bytes;
}

function checkSizes(entry: ZipEntry, limits: ZipLimits): void {
  if (entry.flags & 1) throw new ProductError(`zip member ${entry.name} is encrypted`);
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATE) {
    throw new ProductError(`zip member ${entry.name} uses unsupported compression method ${entry.method}`);
  }
  if (entry.size > limits.maxMemberBytes) {
    throw new ProductError(
      `zip member ${entry.name} is ${entry.size} bytes, more than the ${limits.maxMemberBytes} allowed for a metadata file`,
    );
  }
  const ratio = entry.size / Math.max(1, entry.compressedSize);
  if (entry.method === METHOD_DEFLATE && entry.size > 1024 * 1024 && ratio > limits.maxRatio) {
    throw new ProductError(
      `zip member ${entry.name} looks like a zip bomb: compression ratio ${Math.round(ratio)}:1`,
    );
  }
}

async function inflate(entry: ZipEntry, raw: Uint8Array): Promise<Uint8Array> {
  try {
    // The directory's size bounds the output: a member that inflates beyond it is refused mid-stream.
    return await inflateRawAsync(raw, { maxOutputLength: Math.max(1, entry.size) });
  } catch (err) {
    const tooLarge = err instanceof RangeError || (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
    const why = tooLarge
      ? `inflates beyond its declared ${entry.size} bytes (zip bomb?)`
      : "does not inflate";
    throw new ProductError(`corrupt zip: member ${entry.name} ${why}`, { cause: err });
  }
}

/**
 * Where an asset sits inside a zipped product, so that it can be served alone.
 * Stored on the asset as `hexarchive:member` (shared/products/types.ts MEMBER_FIELD).
 */
export interface ZipMemberRef {
  path: string;
  /** Offset of the member's local file header in the archive. */
  localHeaderOffset: number;
  compressedSize: number;
  size: number;
  /** 0 = stored, 8 = deflate. */
  method: number;
  crc32: number;
}

export function memberRef(entry: ZipEntry): ZipMemberRef {
  return {
    path: entry.name,
    localHeaderOffset: entry.localHeaderOffset,
    compressedSize: entry.compressedSize,
    size: entry.size,
    method: entry.method,
    crc32: entry.crc32,
  };
}
