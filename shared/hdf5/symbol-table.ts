// Old-style groups: a version-1 B-tree ("TREE") of symbol table nodes ("SNOD") whose entries name
// their members through the group's local heap.
import { ByteCursor, utf8 } from "./byte-cursor.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";
import { heapBytes, type LocalHeap, readLocalHeap } from "./local-heap.ts";
import type { Link, SymbolTableMessage } from "./messages.ts";

interface TreeNode {
  level: number;
  /** Heap offsets of the keys: keys[i] and keys[i + 1] bound the names under children[i]. */
  keys: number[];
  children: number[];
}

async function readTreeNode(ctx: FileContext, address: number): Promise<TreeNode> {
  const headerSize = 8 + 2 * ctx.offsetSize;
  const h = await ctx.cursor(address, headerSize, "group B-tree node");
  h.expectSignature("TREE", "v1 B-tree node");
  const type = h.u8("B-tree node type");
  if (type !== 0)
    throw hdf5Error(`v1 B-tree node of type ${type} where a group node (0) was expected`, h.base);
  const level = h.u8("B-tree node level");
  const used = h.u16("B-tree entries used");
  const body = await ctx.cursor(
    address + headerSize,
    (used + 1) * ctx.lengthSize + used * ctx.offsetSize,
    "group B-tree node keys",
  );
  const keys: number[] = [];
  const children: number[] = [];
  for (let i = 0; i < used; i++) {
    keys.push(body.length("B-tree key"));
    children.push(body.uint(ctx.offsetSize, "B-tree child address"));
  }
  keys.push(body.length("B-tree key"));
  return { level, keys, children };
}

interface SymbolEntry {
  nameOffset: number;
  objectHeader: number | undefined;
  cacheType: number;
  scratch: ByteCursor;
}

async function readSymbolNode(ctx: FileContext, address: number): Promise<SymbolEntry[]> {
  const h = await ctx.cursor(address, 8, "symbol table node");
  h.expectSignature("SNOD", "symbol table node");
  const version = h.u8("symbol table node version");
  if (version !== 1) throw hdf5Error(`unsupported symbol table node version ${version}`, h.base + 4);
  h.skip(1);
  const count = h.u16("symbol count");
  const entrySize = 2 * ctx.offsetSize + 24;
  const c = await ctx.cursor(address + 8, count * entrySize, "symbol table entries");
  const entries: SymbolEntry[] = [];
  for (let i = 0; i < count; i++) {
    const nameOffset = c.length("link name offset");
    const objectHeader = c.address("object header address");
    const cacheType = c.u32("cache type");
    c.skip(4);
    const scratch = c.take(16, "scratch pad");
    entries.push({
      nameOffset,
      objectHeader,
      cacheType,
      scratch: new ByteCursor(scratch, c.at - 16, ctx.offsetSize, ctx.lengthSize),
    });
  }
  return entries;
}

function toLink(ctx: FileContext, heap: LocalHeap, e: SymbolEntry): Link {
  const name = utf8.decode(heapBytes(heap, e.nameOffset));
  if (e.cacheType === 2) {
    ctx.note("soft link");
    const target = utf8.decode(heapBytes(heap, e.scratch.u32("soft link offset")));
    return { name, target: { kind: "soft", path: target } };
  }
  if (e.objectHeader === undefined)
    throw hdf5Error(`symbol "${name}" has no object header address`, e.scratch.base);
  return { name, target: { kind: "hard", address: e.objectHeader } };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * Walks the B-tree from its root. With a name, descends only into the child whose key range holds it;
 * without one, visits every node. Each node is visited once, and levels must decrease to 0, whose
 * children are symbol table nodes.
 */
async function walk(
  ctx: FileContext,
  st: SymbolTableMessage,
  name: Uint8Array | undefined,
  visit: (entries: SymbolEntry[], heap: LocalHeap) => boolean,
): Promise<void> {
  ctx.note("symbol table group");
  const heap = await readLocalHeap(ctx, st.heap);
  const seen = new Set<number>();
  const stack: { address: number; expect: number | "SNOD" | undefined }[] = [
    { address: st.btree, expect: undefined },
  ];
  while (stack.length > 0) {
    const { address, expect } = stack.pop()!;
    if (seen.has(address)) {
      throw hdf5Error(`group B-tree node ${address} is reached twice (a loop)`, ctx.base + address);
    }
    if (seen.size >= ctx.limits.maxNodes) {
      throw hdf5Error(`group B-tree has more than ${ctx.limits.maxNodes} nodes`, ctx.base + st.btree);
    }
    seen.add(address);
    if (expect === "SNOD") {
      if (visit(await readSymbolNode(ctx, address), heap)) return;
      continue;
    }
    const node = await readTreeNode(ctx, address);
    ctx.note(node.level > 0 ? "v1 B-tree internal node" : "v1 B-tree leaf node");
    if (expect !== undefined && node.level !== expect) {
      throw hdf5Error(
        `group B-tree node has level ${node.level} where ${expect} was expected`,
        ctx.base + address,
      );
    }
    const childExpect = node.level === 0 ? "SNOD" : node.level - 1;
    const picked: number[] = [];
    for (let i = 0; i < node.children.length; i++) {
      if (name === undefined) picked.push(i);
      else if (compareBytes(name, heapBytes(heap, node.keys[i + 1]!)) <= 0) {
        picked.push(i);
        break;
      }
    }
    // Pushed in reverse so that children are visited in key order.
    for (const i of picked.reverse()) stack.push({ address: node.children[i]!, expect: childExpect });
  }
}

export async function listSymbolTable(ctx: FileContext, st: SymbolTableMessage): Promise<Link[]> {
  const links: Link[] = [];
  await walk(ctx, st, undefined, (entries, heap) => {
    for (const e of entries) links.push(toLink(ctx, heap, e));
    return false;
  });
  return links;
}

export async function findInSymbolTable(
  ctx: FileContext,
  st: SymbolTableMessage,
  name: string,
): Promise<Link | undefined> {
  const wanted = new TextEncoder().encode(name);
  let found: Link | undefined;
  await walk(ctx, st, wanted, (entries, heap) => {
    const hit = entries.find((e) => compareBytes(heapBytes(heap, e.nameOffset), wanted) === 0);
    if (hit) found = toLink(ctx, heap, hit);
    return true;
  });
  return found;
}
