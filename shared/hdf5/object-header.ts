// Object headers, version 1 and version 2 ("OHDR"), with their continuation chunks ("OCHK" in v2):
// the list of messages that says what an object is (group, dataset) and carries its attributes.
import { ByteCursor, latin1 } from "./byte-cursor.ts";
import { verifyChecksum } from "./checksum.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";

export const MSG = {
  nil: 0x00,
  dataspace: 0x01,
  linkInfo: 0x02,
  datatype: 0x03,
  link: 0x06,
  groupInfo: 0x0a,
  attribute: 0x0c,
  continuation: 0x10,
  symbolTable: 0x11,
  attributeInfo: 0x15,
} as const;

/** Message flag: the body is a reference to a message kept elsewhere. */
export const MSG_FLAG_SHARED = 0x02;

export interface HeaderMessage {
  type: number;
  flags: number;
  /** Absolute file offset of the message body. */
  at: number;
  body: Uint8Array;
}

export interface ObjectHeader {
  address: number;
  version: 1 | 2;
  messages: HeaderMessage[];
}

interface Chunk {
  address: number;
  length: number;
}

/** The object header at `address`, parsed once per file. */
export function objectHeader(ctx: FileContext, address: number): Promise<ObjectHeader> {
  return ctx.memo(`OH@${address}`, () => readObjectHeader(ctx, address));
}

async function readObjectHeader(ctx: FileContext, address: number): Promise<ObjectHeader> {
  const prefix = await ctx.cursorUpTo(address, 40, "object header");
  const isV2 = prefix.bytes[0] === 0x4f && prefix.bytes[1] === 0x48; // "OH"
  if (isV2) {
    ctx.note("object header v2");
    return readV2(ctx, address, prefix);
  }
  if (prefix.bytes[0] === 1) {
    ctx.note("object header v1");
    return readV1(ctx, address, prefix);
  }
  throw hdf5Error(`no object header: neither version 1 nor an "OHDR" signature`, prefix.base);
}

async function readV1(ctx: FileContext, address: number, c: ByteCursor): Promise<ObjectHeader> {
  c.skip(2); // version, reserved
  c.u16("message count");
  c.u32("reference count");
  const size = c.u32("header size");
  const messages: HeaderMessage[] = [];
  await walkChunks(ctx, { address: address + 16, length: size }, messages, async (chunk) => {
    const body = await ctx.cursor(chunk.address, chunk.length, "object header chunk");
    const found: HeaderMessage[] = [];
    while (body.remaining >= 8) {
      const type = body.u16("message type");
      const length = body.u16("message size");
      const flags = body.u8("message flags");
      body.skip(3);
      const at = body.at;
      found.push({ type, flags, at, body: body.take(length, `message of type ${type}`) });
    }
    return found;
  });
  return { address, version: 1, messages };
}

async function readV2(ctx: FileContext, address: number, c: ByteCursor): Promise<ObjectHeader> {
  c.expectSignature("OHDR", "object header");
  const version = c.u8("object header version");
  if (version !== 2) throw hdf5Error(`unsupported object header version ${version}`, c.at - 1);
  const flags = c.u8("object header flags");
  if (flags & 0x20) {
    ctx.note("object header times");
    c.skip(16, "object header times");
  }
  if (flags & 0x10) c.skip(4, "attribute phase change");
  const size = c.uint(1 << (flags & 3), "size of chunk 0");
  const tracksOrder = (flags & 0x04) !== 0;
  if (tracksOrder) ctx.note("attribute creation order");
  const messages: HeaderMessage[] = [];
  const first = { address, length: c.pos + size + 4 };
  await walkChunks(ctx, first, messages, async (chunk) => {
    const bytes = (await ctx.cursor(chunk.address, chunk.length, "object header chunk")).bytes;
    const abs = ctx.base + chunk.address;
    const isFirst = chunk.address === address;
    if (!isFirst && latin1.decode(bytes.subarray(0, 4)) !== "OCHK") {
      throw hdf5Error(`expected object header continuation signature "OCHK"`, abs);
    }
    verifyChecksum(bytes, isFirst ? "object header" : "object header continuation", abs);
    const body = new ByteCursor(bytes.subarray(0, bytes.length - 4), abs, ctx.offsetSize, ctx.lengthSize);
    body.pos = isFirst ? chunk.length - 4 - size : 4;
    const found: HeaderMessage[] = [];
    const headerSize = tracksOrder ? 6 : 4;
    while (body.remaining >= headerSize) {
      const type = body.u8("message type");
      const length = body.u16("message size");
      const mflags = body.u8("message flags");
      if (tracksOrder) body.skip(2);
      const at = body.at;
      found.push({ type, flags: mflags, at, body: body.take(length, `message of type ${type}`) });
    }
    return found;
  });
  return { address, version: 2, messages };
}

/** Reads a chunk, then the chunks its continuation messages point to, refusing loops. */
async function walkChunks(
  ctx: FileContext,
  first: Chunk,
  out: HeaderMessage[],
  parse: (chunk: Chunk) => Promise<HeaderMessage[]>,
): Promise<void> {
  const queue: Chunk[] = [first];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const chunk = queue.shift()!;
    if (seen.has(chunk.address)) {
      throw hdf5Error(
        `object header continuation loops back to chunk ${chunk.address}`,
        ctx.base + chunk.address,
      );
    }
    if (seen.size >= ctx.limits.maxNodes)
      throw hdf5Error(`object header has more than ${ctx.limits.maxNodes} chunks`);
    seen.add(chunk.address);
    if (seen.size > 1) ctx.note("object header continuation");
    for (const m of await parse(chunk)) {
      if (m.type === MSG.continuation) {
        const c = new ByteCursor(m.body, m.at, ctx.offsetSize, ctx.lengthSize);
        const address = c.address("continuation address");
        const length = c.length("continuation length");
        if (address === undefined) throw hdf5Error(`continuation message without an address`, m.at);
        queue.push({ address, length });
      } else if (m.type !== MSG.nil) out.push(m);
    }
  }
}
