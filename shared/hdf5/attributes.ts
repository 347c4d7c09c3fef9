// An object's attributes: attribute messages in its header (compact storage) and, past the compact
// limit, attribute messages in a fractal heap indexed by a v2 B-tree of name hashes (dense storage).

import { type AttributeMessage, decodeAttributeMessage } from "./attribute-message.ts";
import { ByteCursor } from "./byte-cursor.ts";
import { lookup3 } from "./checksum.ts";
import type { FileContext } from "./file-context.ts";
import { readFractalHeap, readHeapObject } from "./fractal-heap.ts";
import { hdf5Error } from "./hdf5-error.ts";
import { decodeDenseIndex, messageCursor } from "./messages.ts";
import { MSG, MSG_FLAG_SHARED, type ObjectHeader } from "./object-header.ts";
import { BTREE_TYPE, type BTreeRecord, readV2BTree, searchV2BTree } from "./v2-btree.ts";

/** The object's attribute messages; with `names`, only those (looked up by hash in dense storage). */
export async function readAttributeMessages(
  ctx: FileContext,
  header: ObjectHeader,
  names?: readonly string[],
): Promise<AttributeMessage[]> {
  const wanted = names ? new Set(names) : undefined;
  const out: AttributeMessage[] = [];
  for (const m of header.messages) {
    if (m.type === MSG.attribute) {
      if (m.flags & MSG_FLAG_SHARED) {
        throw hdf5Error(`shared attribute messages (shared message table) are not supported`, m.at);
      }
      ctx.note("compact attributes");
      const a = await decodeAttributeMessage(ctx, messageCursor(ctx, m));
      if (!wanted || wanted.has(a.name)) out.push(a);
    } else if (m.type === MSG.attributeInfo) {
      const index = decodeDenseIndex(ctx, m, "attribute");
      if (index.heap === undefined || index.nameIndex === undefined) continue;
      for (const a of await readDense(ctx, index.heap, index.nameIndex, names)) out.push(a);
    }
  }
  return out;
}

async function readDense(
  ctx: FileContext,
  heapAddress: number,
  indexAddress: number,
  names: readonly string[] | undefined,
): Promise<AttributeMessage[]> {
  ctx.note("dense attributes");
  const heap = await readFractalHeap(ctx, heapAddress);
  const tree = await readV2BTree(ctx, indexAddress, BTREE_TYPE.attributeName);
  // Records: heap ID, message flags (1), creation order (4), name hash (4).
  const idLength = tree.recordSize - 9;
  const hashOf = (r: Uint8Array) => new DataView(r.buffer, r.byteOffset + idLength + 5, 4).getUint32(0, true);
  let records: BTreeRecord[] = [];
  if (!names) records = await searchV2BTree(ctx, tree);
  else {
    for (const n of new Set(names)) {
      const hash = lookup3(new TextEncoder().encode(n));
      records.push(...(await searchV2BTree(ctx, tree, (r) => hash - hashOf(r))));
    }
  }
  // Creation order, as the library lists them (the index itself is in hash order).
  const orderOf = (r: BTreeRecord) =>
    new DataView(r.bytes.buffer, r.bytes.byteOffset + idLength + 1, 4).getUint32(0, true);
  records.sort((a, b) => orderOf(a) - orderOf(b));
  const out: AttributeMessage[] = [];
  for (const r of records) {
    if (r.bytes[idLength]! & 1) {
      throw hdf5Error(`shared attribute messages (shared message table) are not supported`, r.at);
    }
    const id = new ByteCursor(r.bytes.subarray(0, idLength), r.at, ctx.offsetSize, ctx.lengthSize);
    const a = await decodeAttributeMessage(ctx, await readHeapObject(ctx, heap, id));
    if (!names || names.includes(a.name)) out.push(a);
  }
  return out;
}
