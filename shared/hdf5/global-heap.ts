// Global heap collections ("GCOL"): where variable-length strings keep their bytes.
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";

export type GlobalHeap = Map<number, Uint8Array>;

export function readGlobalHeap(ctx: FileContext, address: number): Promise<GlobalHeap> {
  return ctx.memo(`GCOL@${address}`, async () => {
    ctx.note("global heap");
    const h = await ctx.cursor(address, 8 + ctx.lengthSize, "global heap collection");
    h.expectSignature("GCOL", "global heap collection");
    const version = h.u8("global heap version");
    if (version !== 1) throw hdf5Error(`unsupported global heap version ${version}`, h.base + 4);
    h.skip(3);
    const size = h.length("global heap collection size");
    if (size < h.pos) throw hdf5Error(`global heap collection of ${size} bytes`, h.base);
    const c = await ctx.cursor(address, size, "global heap collection");
    c.pos = h.pos;
    const objects: GlobalHeap = new Map();
    const objectHeader = 8 + ctx.lengthSize;
    while (c.remaining >= objectHeader) {
      const index = c.u16("global heap object index");
      if (index === 0) break; // free space runs to the end of the collection
      c.skip(6);
      const length = c.length("global heap object size");
      objects.set(index, c.take(length, `global heap object ${index}`));
      c.skip(Math.min(c.remaining, (8 - (length % 8)) % 8));
    }
    return objects;
  });
}
