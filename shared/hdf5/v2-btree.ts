// Version-2 B-trees ("BTHD" header, "BTIN" internal and "BTLF" leaf nodes): the name indexes of dense
// link and attribute storage, and the index of a fractal heap's "huge" objects.
import { ByteCursor, encodedSize } from "./byte-cursor.ts";
import { verifyChecksum } from "./checksum.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";

export const BTREE_TYPE = { hugeIndirect: 1, linkName: 5, attributeName: 8 } as const;

interface Level {
  maxRecords: number;
  /** Bytes of the "total records below" field in pointers to nodes of this level. */
  totalSize: number;
}

export interface V2BTree {
  address: number;
  type: number;
  nodeSize: number;
  recordSize: number;
  depth: number;
  root: number | undefined;
  rootRecords: number;
  levels: Level[];
  /** Bytes of the "records in child" field of an internal node's pointers. */
  countSize: number;
}

export interface BTreeRecord {
  bytes: Uint8Array;
  /** Absolute file offset of the record. */
  at: number;
}

const PREFIX = 10; // signature, version, type, checksum

export function readV2BTree(ctx: FileContext, address: number, expectType: number): Promise<V2BTree> {
  return ctx.memo(`BTHD@${address}`, async () => {
    const size = 22 + ctx.offsetSize + ctx.lengthSize;
    const c = await ctx.cursor(address, size, "v2 B-tree header");
    c.expectSignature("BTHD", "v2 B-tree header");
    verifyChecksum(c.bytes, "v2 B-tree header", c.base);
    const version = c.u8("v2 B-tree version");
    if (version !== 0) throw hdf5Error(`unsupported v2 B-tree version ${version}`, c.at - 1);
    const type = c.u8("v2 B-tree type");
    if (type !== expectType)
      throw hdf5Error(`v2 B-tree of type ${type} where type ${expectType} was expected`, c.base);
    const nodeSize = c.u32("v2 B-tree node size");
    const recordSize = c.u16("v2 B-tree record size");
    const depth = c.u16("v2 B-tree depth");
    c.skip(2);
    const root = c.address("v2 B-tree root address");
    const rootRecords = c.u16("v2 B-tree root record count");
    if (nodeSize <= PREFIX || nodeSize > ctx.limits.maxStructureBytes || recordSize === 0 || depth > 64) {
      throw hdf5Error(
        `v2 B-tree header is implausible (node ${nodeSize} B, record ${recordSize} B, depth ${depth})`,
        c.base,
      );
    }
    // Node capacities follow from the node and record sizes, as the library computes them.
    const leafMax = Math.floor((nodeSize - PREFIX) / recordSize);
    const countSize = encodedSize(leafMax);
    const levels: Level[] = [{ maxRecords: leafMax, totalSize: 0 }];
    let cumulative = leafMax;
    for (let d = 1; d <= depth; d++) {
      const pointer = ctx.offsetSize + countSize + levels[d - 1]!.totalSize;
      const max = Math.floor((nodeSize - PREFIX) / (recordSize + pointer));
      cumulative = (max + 1) * cumulative + max;
      levels.push({ maxRecords: max, totalSize: encodedSize(cumulative) });
    }
    return { address, type, nodeSize, recordSize, depth, root, rootRecords, levels, countSize };
  });
}

/**
 * Records for which `compare` returns 0, found by descending only where they can lie (`compare` says
 * whether the target sorts before (<0) or after (>0) a record); without `compare`, every record.
 */
export async function searchV2BTree(
  ctx: FileContext,
  tree: V2BTree,
  compare?: (record: Uint8Array) => number,
): Promise<BTreeRecord[]> {
  const out: BTreeRecord[] = [];
  if (tree.root === undefined || tree.rootRecords === 0) return out;
  const seen = new Set<number>();
  const stack = [{ address: tree.root, records: tree.rootRecords, depth: tree.depth }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node.address)) {
      throw hdf5Error(`v2 B-tree node ${node.address} is reached twice (a loop)`, ctx.base + node.address);
    }
    if (seen.size >= ctx.limits.maxNodes) {
      throw hdf5Error(`v2 B-tree has more than ${ctx.limits.maxNodes} nodes`, ctx.base + tree.address);
    }
    seen.add(node.address);
    ctx.note(node.depth > 0 ? `v2 B-tree internal node (depth ${node.depth})` : "v2 B-tree leaf node");
    const level = tree.levels[node.depth]!;
    if (node.records > level.maxRecords) {
      throw hdf5Error(
        `v2 B-tree node claims ${node.records} records, at most ${level.maxRecords} fit`,
        ctx.base + node.address,
      );
    }
    const c = await ctx.cursorUpTo(node.address, tree.nodeSize, "v2 B-tree node");
    const signature = node.depth === 0 ? "BTLF" : "BTIN";
    c.expectSignature(signature, "v2 B-tree node");
    c.skip(2);
    const records: BTreeRecord[] = [];
    for (let i = 0; i < node.records; i++) {
      const at = c.at;
      records.push({ bytes: c.take(tree.recordSize, "v2 B-tree record"), at });
    }
    const children: { address: number; records: number; depth: number }[] = [];
    if (node.depth > 0) {
      for (let i = 0; i <= node.records; i++) {
        const address = c.uint(ctx.offsetSize, "v2 B-tree child address");
        const records = c.uint(tree.countSize, "v2 B-tree child record count");
        if (node.depth > 1) c.skip(tree.levels[node.depth - 1]!.totalSize, "v2 B-tree child total");
        children.push({ address, records, depth: node.depth - 1 });
      }
    }
    c.skip(4, "v2 B-tree node checksum");
    verifyChecksum(c.bytes.subarray(0, c.pos), `v2 B-tree ${signature} node`, c.base);
    const order = records.map((r) => (compare ? compare(r.bytes) : 0));
    order.forEach((o, i) => {
      if (o === 0) out.push(records[i]!);
    });
    // Child i holds the records between record i-1 and record i.
    for (let i = children.length - 1; i >= 0; i--) {
      const afterPrev = i === 0 || order[i - 1]! >= 0;
      const beforeNext = i === records.length || order[i]! <= 0;
      if (afterPrev && beforeNext) stack.push(children[i]!);
    }
  }
  return out;
}

export function recordCursor(ctx: FileContext, r: BTreeRecord): ByteCursor {
  return new ByteCursor(r.bytes, r.at, ctx.offsetSize, ctx.lengthSize);
}
