// Zip record signatures, sizes and the limits every read is held to.

export const SIG_LOCAL = 0x04034b50;
export const SIG_CENTRAL = 0x02014b50;
export const SIG_EOCD = 0x06054b50;
export const SIG_ZIP64_EOCD = 0x06064b50;
export const SIG_ZIP64_LOCATOR = 0x07064b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
export const ZIP64_LOCATOR_SIZE = 20;
export const ZIP64_EOCD_SIZE = 56;
export const MAX_COMMENT = 0xffff;
export const ZIP64_EXTRA_ID = 0x0001;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

export interface ZipLimits {
  /** Largest central directory read in one go. */
  maxCentralDirectoryBytes: number;
  maxEntries: number;
  /** Largest (uncompressed) member we agree to hold in memory: metadata, not imagery. */
  maxMemberBytes: number;
  /** Uncompressed/compressed ratio above which a member larger than 1 MiB is taken for a zip bomb. */
  maxRatio: number;
}

export const DEFAULT_LIMITS: ZipLimits = {
  maxCentralDirectoryBytes: 32 * 1024 * 1024,
  maxEntries: 200_000,
  maxMemberBytes: 50 * 1024 * 1024,
  maxRatio: 200,
};

export function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Little-endian unsigned 64-bit read; exact below 2^53, which covers any object S3 can hold. */
export function u64(dv: DataView, offset: number): number {
  return dv.getUint32(offset, true) + dv.getUint32(offset + 4, true) * 0x1_0000_0000;
}
