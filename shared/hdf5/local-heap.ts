// Local heaps ("HEAP"): the names of an old-style group's members.
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";

export interface LocalHeap {
  address: number;
  data: Uint8Array;
  /** Absolute file offset of the data segment, for messages. */
  dataAt: number;
}

export function readLocalHeap(ctx: FileContext, address: number): Promise<LocalHeap> {
  return ctx.memo(`HEAP@${address}`, async () => {
    const c = await ctx.cursor(address, 8 + 2 * ctx.lengthSize + ctx.offsetSize, "local heap");
    c.expectSignature("HEAP", "local heap");
    const version = c.u8("local heap version");
    if (version !== 0) throw hdf5Error(`unsupported local heap version ${version}`, c.at - 1);
    c.skip(3);
    const size = c.length("local heap data size");
    c.length("local heap free list offset");
    const dataAddress = c.address("local heap data address");
    if (dataAddress === undefined) throw hdf5Error(`local heap has no data segment`, c.base);
    const data = await ctx.cursor(dataAddress, size, "local heap data segment");
    return { address, data: data.bytes, dataAt: data.base };
  });
}

/** The NUL-terminated bytes at `offset` in the heap's data segment. */
export function heapBytes(heap: LocalHeap, offset: number): Uint8Array {
  if (offset >= heap.data.length) {
    throw hdf5Error(
      `name offset ${offset} lies outside the ${heap.data.length}-byte local heap`,
      heap.dataAt,
    );
  }
  const end = heap.data.indexOf(0, offset);
  if (end < 0)
    throw hdf5Error(`local heap string at offset ${offset} has no terminating NUL`, heap.dataAt + offset);
  return heap.data.subarray(offset, end);
}
