// The superblock (versions 0-3): where the file starts, its address sizes and where the root group is.
import type { BlockSource } from "./block-source.ts";
import { ByteCursor } from "./byte-cursor.ts";
import { verifyChecksum } from "./checksum.ts";
import { hdf5Error } from "./hdf5-error.ts";

export const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export interface Superblock {
  version: number;
  /**
   * Absolute offset of the superblock. File addresses count from here (the library does the same: a
   * user block in front moves the superblock, and the stored base address is then ignored).
   */
  at: number;
  offsetSize: number;
  lengthSize: number;
  rootObjectHeader: number;
}

/** The superblock sits at 0 or after a user block, at 512, 1024, 2048, ... bytes. */
const SEARCH_LIMIT = 1024 * 1024;

export async function readSuperblock(source: BlockSource): Promise<Superblock> {
  for (let at = 0; at < Math.min(source.size, SEARCH_LIMIT); at = at === 0 ? 512 : at * 2) {
    if (at + 8 > source.size) break;
    const sig = await source.read(at, 8, "HDF5 signature");
    if (HDF5_SIGNATURE.every((b, i) => sig[i] === b)) return parseSuperblock(source, at);
  }
  throw hdf5Error(`no HDF5 signature at offset 0 or any user-block boundary: not an HDF5/netCDF-4 file`);
}

async function parseSuperblock(source: BlockSource, at: number): Promise<Superblock> {
  const head = await source.read(at, Math.min(source.size - at, 24), "superblock");
  if (head.length < 16) throw hdf5Error(`superblock truncated after ${head.length} bytes`, at);
  const version = head[8]!;
  const sizes = version >= 2 ? { o: head[9]!, l: head[10]! } : { o: head[13]!, l: head[14]! };
  for (const [name, v] of [
    ["offsets", sizes.o],
    ["lengths", sizes.l],
  ] as const) {
    if (![2, 4, 8].includes(v)) throw hdf5Error(`superblock size of ${name} is ${v}, not 2, 4 or 8`, at);
  }
  if (version === 0 || version === 1) {
    const fixed = version === 0 ? 24 : 28;
    const length = fixed + 4 * sizes.o + 2 * sizes.o + 24; // ... then the root group's symbol table entry
    const c = new ByteCursor(await source.read(at, length, "superblock"), at, sizes.o, sizes.l);
    c.skip(fixed);
    c.address("base address");
    c.address("free-space address");
    c.address("end-of-file address");
    c.address("driver information address");
    c.address("root link name offset");
    // The root entry's cached symbol table (cache type 1) repeats what the root's header says.
    const root = c.uint(sizes.o, "root object header address");
    return { version, at, offsetSize: sizes.o, lengthSize: sizes.l, rootObjectHeader: root };
  }
  if (version === 2 || version === 3) {
    const length = 12 + 4 * sizes.o + 4;
    const bytes = await source.read(at, length, "superblock");
    verifyChecksum(bytes, "superblock", at);
    const c = new ByteCursor(bytes, at, sizes.o, sizes.l);
    c.skip(12);
    c.address("base address");
    c.address("superblock extension address");
    c.address("end-of-file address");
    const root = c.uint(sizes.o, "root object header address");
    return { version, at, offsetSize: sizes.o, lengthSize: sizes.l, rootObjectHeader: root };
  }
  throw hdf5Error(`unsupported superblock version ${version}`, at + 8);
}
