// The small group- and attribute-index messages of an object header: link info, attribute info,
// symbol table and link.
import { ByteCursor, utf8 } from "./byte-cursor.ts";
import type { FileContext } from "./file-context.ts";
import { hdf5Error } from "./hdf5-error.ts";
import type { HeaderMessage } from "./object-header.ts";

export function messageCursor(ctx: FileContext, m: HeaderMessage): ByteCursor {
  return new ByteCursor(m.body, m.at, ctx.offsetSize, ctx.lengthSize);
}

/** Where a new-style group or an object keeps its links/attributes once there are too many for the header. */
export interface DenseIndex {
  heap: number | undefined;
  nameIndex: number | undefined;
}

/** Link info (0x02) and attribute info (0x15) share one layout, with an 8- or 2-byte creation counter. */
export function decodeDenseIndex(ctx: FileContext, m: HeaderMessage, kind: "link" | "attribute"): DenseIndex {
  const c = messageCursor(ctx, m);
  const version = c.u8(`${kind} info version`);
  if (version !== 0) throw hdf5Error(`unsupported ${kind} info message version ${version}`, m.at);
  const flags = c.u8(`${kind} info flags`);
  if (flags & 1) c.skip(kind === "link" ? 8 : 2, "maximum creation index");
  return { heap: c.address("fractal heap address"), nameIndex: c.address("name index address") };
}

export interface SymbolTableMessage {
  btree: number;
  heap: number;
}

export function decodeSymbolTable(ctx: FileContext, m: HeaderMessage): SymbolTableMessage {
  const c = messageCursor(ctx, m);
  return {
    btree: c.uint(ctx.offsetSize, "symbol table B-tree address"),
    heap: c.uint(ctx.offsetSize, "local heap address"),
  };
}

export type LinkTarget =
  | { kind: "hard"; address: number }
  | { kind: "soft"; path: string }
  | { kind: "external"; file: string; path: string };

export interface Link {
  name: string;
  target: LinkTarget;
}

export function decodeLink(c: ByteCursor): Link {
  const start = c.at;
  const version = c.u8("link version");
  if (version !== 1) throw hdf5Error(`unsupported link message version ${version}`, start);
  const flags = c.u8("link flags");
  const type = flags & 0x08 ? c.u8("link type") : 0;
  if (flags & 0x04) c.skip(8, "link creation order");
  if (flags & 0x10) c.u8("link name character set");
  const nameLength = c.uint(1 << (flags & 3), "link name length");
  const name = utf8.decode(c.take(nameLength, "link name"));
  if (type === 0) {
    const address = c.address("link target address");
    if (address === undefined) throw hdf5Error(`hard link "${name}" has no target address`, start);
    return { name, target: { kind: "hard", address } };
  }
  if (type === 1) {
    const n = c.u16("soft link length");
    return { name, target: { kind: "soft", path: utf8.decode(c.take(n, "soft link value")) } };
  }
  if (type === 64) {
    const n = c.u16("external link length");
    const v = c.take(n, "external link value");
    const parts = utf8.decode(v.subarray(1)).split("\u0000");
    return { name, target: { kind: "external", file: parts[0] ?? "", path: parts[1] ?? "" } };
  }
  throw hdf5Error(`link "${name}" has unknown link type ${type}`, start);
}
