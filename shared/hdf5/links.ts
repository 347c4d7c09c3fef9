// A group's links, whichever way it stores them: an old-style symbol table, link messages in its
// header (compact), or link messages in a fractal heap indexed by a v2 B-tree of name hashes (dense).
import { ByteCursor } from "./byte-cursor.ts";
import { lookup3 } from "./checksum.ts";
import type { FileContext } from "./file-context.ts";
import { readFractalHeap, readHeapObject } from "./fractal-heap.ts";
import { decodeDenseIndex, decodeLink, decodeSymbolTable, type Link, messageCursor } from "./messages.ts";
import { MSG, type ObjectHeader } from "./object-header.ts";
import { findInSymbolTable, listSymbolTable } from "./symbol-table.ts";
import { BTREE_TYPE, readV2BTree, searchV2BTree } from "./v2-btree.ts";

export function isGroup(header: ObjectHeader): boolean {
  return header.messages.some((m) => m.type === MSG.symbolTable || m.type === MSG.linkInfo);
}

/** Every link of the group (none for an object that is not a group). */
export async function listLinks(ctx: FileContext, header: ObjectHeader): Promise<Link[]> {
  return collect(ctx, header, undefined);
}

export async function findLink(
  ctx: FileContext,
  header: ObjectHeader,
  name: string,
): Promise<Link | undefined> {
  return (await collect(ctx, header, name)).find((l) => l.name === name);
}

async function collect(ctx: FileContext, header: ObjectHeader, name: string | undefined): Promise<Link[]> {
  const out: Link[] = [];
  for (const m of header.messages) {
    if (m.type === MSG.symbolTable) {
      const st = decodeSymbolTable(ctx, m);
      if (name === undefined) out.push(...(await listSymbolTable(ctx, st)));
      else {
        const hit = await findInSymbolTable(ctx, st, name);
        if (hit) out.push(hit);
      }
    } else if (m.type === MSG.link) {
      ctx.note("compact links");
      out.push(decodeLink(messageCursor(ctx, m)));
    } else if (m.type === MSG.linkInfo) {
      const index = decodeDenseIndex(ctx, m, "link");
      if (index.heap === undefined || index.nameIndex === undefined) continue;
      ctx.note("dense links");
      const heap = await readFractalHeap(ctx, index.heap);
      const tree = await readV2BTree(ctx, index.nameIndex, BTREE_TYPE.linkName);
      // Records: name hash (4), heap ID.
      const hash = name === undefined ? undefined : lookup3(new TextEncoder().encode(name));
      const hashOf = (r: Uint8Array) => new DataView(r.buffer, r.byteOffset, 4).getUint32(0, true);
      const records = await searchV2BTree(
        ctx,
        tree,
        hash === undefined ? undefined : (r) => hash - hashOf(r),
      );
      for (const r of records) {
        const id = new ByteCursor(r.bytes.subarray(4), r.at + 4, ctx.offsetSize, ctx.lengthSize);
        out.push(decodeLink(await readHeapObject(ctx, heap, id)));
      }
    }
  }
  return out;
}
