// Fractal heaps ("FRHP" header, "FHIB" indirect and "FHDB" direct blocks): where dense groups keep
// their link messages and dense objects their attribute messages, addressed by heap IDs.
import { type ByteCursor, floorLog2 } from "./byte-cursor.ts";
import { verifyChecksum } from "./checksum.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";
import { BTREE_TYPE, readV2BTree, recordCursor, searchV2BTree } from "./v2-btree.ts";

export interface FractalHeap {
  address: number;
  idLength: number;
  maxManagedSize: number;
  hugeBTree: number | undefined;
  width: number;
  startBlockSize: number;
  maxDirectBlockSize: number;
  /** Bytes of a heap offset (from the maximum heap size in bits). */
  offsetBytes: number;
  /** Bytes of a managed object's length in its heap ID. */
  lengthBytes: number;
  root: number | undefined;
  rootRows: number;
  maxDirectRows: number;
  checksumDirectBlocks: boolean;
}

export function readFractalHeap(ctx: FileContext, address: number): Promise<FractalHeap> {
  return ctx.memo(`FRHP@${address}`, async () => {
    const O = ctx.offsetSize;
    const L = ctx.lengthSize;
    const size = 22 + 12 * L + 3 * O + 4;
    const c = await ctx.cursor(address, size, "fractal heap header");
    c.expectSignature("FRHP", "fractal heap header");
    const version = c.u8("fractal heap version");
    if (version !== 0) throw hdf5Error(`unsupported fractal heap version ${version}`, c.at - 1);
    const idLength = c.u16("heap ID length");
    const filterLength = c.u16("I/O filter length");
    if (filterLength > 0) throw hdf5Error(`filtered (compressed) fractal heaps are not supported`, c.base);
    verifyChecksum(c.bytes, "fractal heap header", c.base);
    const flags = c.u8("fractal heap flags");
    const maxManagedSize = c.u32("maximum managed object size");
    c.length("next huge object ID");
    const hugeBTree = c.address("huge object B-tree address");
    c.length("free space");
    c.address("free space manager address");
    c.skip(8 * L, "heap statistics");
    const width = c.u16("doubling table width");
    const startBlockSize = c.length("starting block size");
    const maxDirectBlockSize = c.length("maximum direct block size");
    const maxHeapBits = c.u16("maximum heap size");
    c.u16("starting rows of root indirect block");
    const root = c.address("root block address");
    const rootRows = c.u16("rows of root indirect block");
    const pow2 = (n: number) => n > 0 && 2 ** floorLog2(n) === n;
    if (
      !pow2(width) ||
      !pow2(startBlockSize) ||
      !pow2(maxDirectBlockSize) ||
      maxDirectBlockSize < startBlockSize
    ) {
      throw hdf5Error(
        `fractal heap doubling table is implausible (width ${width}, blocks ${startBlockSize}..${maxDirectBlockSize})`,
        c.base,
      );
    }
    if (maxDirectBlockSize > ctx.limits.maxStructureBytes || maxHeapBits > 64 || rootRows > 64) {
      throw hdf5Error(`fractal heap sizes exceed the limits`, c.base);
    }
    return {
      address,
      idLength,
      maxManagedSize,
      hugeBTree,
      width,
      startBlockSize,
      maxDirectBlockSize,
      offsetBytes: Math.ceil(maxHeapBits / 8),
      lengthBytes: Math.min(
        Math.ceil(floorLog2(maxDirectBlockSize) / 8),
        Math.floor(floorLog2(maxManagedSize) / 8) + 1,
      ),
      root,
      rootRows,
      maxDirectRows: floorLog2(maxDirectBlockSize) - floorLog2(startBlockSize) + 2,
      checksumDirectBlocks: (flags & 2) !== 0,
    };
  });
}

/** The object a heap ID names: managed (in a direct block) or huge (stored on its own). */
export async function readHeapObject(
  ctx: FileContext,
  heap: FractalHeap,
  id: ByteCursor,
): Promise<ByteCursor> {
  const idAt = id.at;
  const flags = id.u8("heap ID flags");
  if (flags >> 6 !== 0) throw hdf5Error(`heap ID version ${flags >> 6} is not supported`, idAt);
  const type = (flags >> 4) & 3;
  if (type === 0) {
    const offset = id.uint(heap.offsetBytes, "heap object offset");
    const length = id.uint(heap.lengthBytes, "heap object length");
    return readManaged(ctx, heap, offset, length, idAt);
  }
  if (type === 1) return readHuge(ctx, heap, id, idAt);
  throw hdf5Error(`heap ID of type ${type === 2 ? "tiny" : type} is not supported`, idAt);
}

async function readManaged(
  ctx: FileContext,
  heap: FractalHeap,
  offset: number,
  length: number,
  idAt: number,
): Promise<ByteCursor> {
  if (heap.root === undefined) throw hdf5Error(`heap ID points into an empty fractal heap`, idAt);
  if (length === 0 || length > heap.maxManagedSize) {
    throw hdf5Error(`managed heap object of ${length} bytes (at most ${heap.maxManagedSize})`, idAt);
  }
  let block = heap.root;
  let blockSize = heap.startBlockSize;
  let within = offset;
  ctx.note(heap.rootRows > 0 ? "fractal heap indirect block" : "fractal heap root direct block");
  if (heap.rootRows > 0) {
    ({ block, blockSize, within } = await findDirectBlock(ctx, heap, heap.root, heap.rootRows, offset, idAt));
  }
  const headerSize = 5 + ctx.offsetSize + heap.offsetBytes + (heap.checksumDirectBlocks ? 4 : 0);
  if (within < headerSize || within + length > blockSize) {
    throw hdf5Error(
      `heap object [${within}, +${length}) does not fit its ${blockSize}-byte direct block`,
      idAt,
    );
  }
  const h = await ctx.cursor(block, headerSize, "fractal heap direct block");
  h.expectSignature("FHDB", "fractal heap direct block");
  h.skip(1 + ctx.offsetSize);
  const blockOffset = h.uint(heap.offsetBytes, "direct block offset");
  if (blockOffset !== offset - within) {
    throw hdf5Error(`direct block covers heap offset ${blockOffset}, expected ${offset - within}`, h.base);
  }
  return ctx.cursor(block + within, length, "fractal heap object");
}

/** Walks the doubling table of indirect blocks down to the direct block holding `offset`. */
async function findDirectBlock(
  ctx: FileContext,
  heap: FractalHeap,
  address: number,
  rows: number,
  offset: number,
  idAt: number,
): Promise<{ block: number; blockSize: number; within: number }> {
  let iblock = address;
  let nrows = rows;
  let off = offset;
  // Each level down has fewer rows than the one above, so this ends; the bound is a second guard.
  for (let depth = 0; depth < 64; depth++) {
    const size = 5 + ctx.offsetSize + heap.offsetBytes + nrows * heap.width * ctx.offsetSize + 4;
    const c = await ctx.cursor(iblock, size, "fractal heap indirect block");
    c.expectSignature("FHIB", "fractal heap indirect block");
    verifyChecksum(c.bytes, "fractal heap indirect block", c.base);
    const hit = locate(heap, nrows, off);
    if (!hit) throw hdf5Error(`heap offset ${offset} is beyond the fractal heap`, idAt);
    c.pos = 5 + ctx.offsetSize + heap.offsetBytes + (hit.row * heap.width + hit.col) * ctx.offsetSize;
    const child = c.address("fractal heap child block address");
    if (child === undefined) throw hdf5Error(`heap offset ${offset} lies in an unallocated block`, idAt);
    if (hit.row < heap.maxDirectRows) return { block: child, blockSize: hit.blockSize, within: hit.within };
    const childRows = floorLog2(hit.blockSize) - floorLog2(heap.startBlockSize * heap.width) + 1;
    ctx.note("fractal heap nested indirect block");
    if (childRows >= nrows) throw hdf5Error(`fractal heap indirect blocks do not shrink`, c.base);
    iblock = child;
    nrows = childRows;
    off = hit.within;
  }
  throw hdf5Error(`fractal heap indirect blocks nest too deeply`, ctx.base + address);
}

/** Row and column of the block holding `offset` in an indirect block of `rows` rows. */
function locate(heap: FractalHeap, rows: number, offset: number) {
  let rowStart = 0;
  for (let row = 0; row < rows; row++) {
    const blockSize = row === 0 ? heap.startBlockSize : heap.startBlockSize * 2 ** (row - 1);
    const span = blockSize * heap.width;
    if (offset < rowStart + span) {
      const col = Math.floor((offset - rowStart) / blockSize);
      return { row, col, blockSize, within: offset - rowStart - col * blockSize };
    }
    rowStart += span;
  }
  return undefined;
}

/**
 * Huge objects live outside the heap's blocks. Their IDs hold the address and length directly when
 * these fit, or else a number that the heap's v2 B-tree maps to an address and length.
 */
async function readHuge(
  ctx: FileContext,
  heap: FractalHeap,
  id: ByteCursor,
  idAt: number,
): Promise<ByteCursor> {
  ctx.note("huge heap object");
  if (ctx.offsetSize + ctx.lengthSize <= heap.idLength - 1) {
    const address = id.uint(ctx.offsetSize, "huge object address");
    return ctx.cursor(address, id.length("huge object length"), "huge heap object");
  }
  const key = id.uint(Math.min(heap.idLength - 1, 8), "huge object ID");
  if (heap.hugeBTree === undefined)
    throw hdf5Error(`huge heap object ${key} but the heap has no huge-object index`, idAt);
  const tree = await readV2BTree(ctx, heap.hugeBTree, BTREE_TYPE.hugeIndirect);
  // Records are (address, length, ID), sorted by ID.
  const idOf = (r: Uint8Array) => recordId(r, ctx.offsetSize + ctx.lengthSize, ctx.lengthSize);
  const [hit] = await searchV2BTree(ctx, tree, (r) => key - idOf(r));
  if (!hit) throw hdf5Error(`huge heap object ${key} is not in the heap's index`, idAt);
  const c = recordCursor(ctx, hit);
  const address = c.uint(ctx.offsetSize, "huge object address");
  return ctx.cursor(address, c.length("huge object length"), "huge heap object");
}

function recordId(r: Uint8Array, from: number, size: number): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + r[from + i]!;
  return v;
}
