// Decodes an attribute's raw bytes into plain JavaScript values.
import { type ByteCursor, utf8 } from "./byte-cursor.ts";
import type { Datatype } from "./datatype.ts";
import type { FileContext } from "./file-context.ts";
import { readGlobalHeap } from "./global-heap.ts";
import { hdf5Error } from "./hdf5-error.ts";

export type Hdf5Scalar = string | number | bigint;
/** A scalar for a scalar dataspace, a flat (row-major) array for a simple one, null for an empty one. */
export type Hdf5Value = Hdf5Scalar | Hdf5Scalar[] | null;

export async function decodeElements(
  ctx: FileContext,
  type: Datatype,
  data: ByteCursor,
  count: number,
): Promise<Hdf5Scalar[] | undefined> {
  const view = new DataView(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength);
  const out: Hdf5Scalar[] = [];
  for (let i = 0; i < count; i++) {
    const p = i * type.size;
    switch (type.class) {
      case "integer":
        out.push(integer(view, p, type.size, type.signed, type.littleEndian));
        break;
      case "float":
        out.push(
          type.size === 4 ? view.getFloat32(p, type.littleEndian) : view.getFloat64(p, type.littleEndian),
        );
        break;
      case "string":
        out.push(fixedString(data.bytes.subarray(p, p + type.size), type.padding));
        break;
      case "vlen-string":
        out.push(await vlenString(ctx, data, p));
        break;
      default:
        return undefined;
    }
  }
  return out;
}

function integer(view: DataView, p: number, size: number, signed: boolean, le: boolean): number | bigint {
  if (size === 1) return signed ? view.getInt8(p) : view.getUint8(p);
  if (size === 2) return signed ? view.getInt16(p, le) : view.getUint16(p, le);
  if (size === 4) return signed ? view.getInt32(p, le) : view.getUint32(p, le);
  const big = signed ? view.getBigInt64(p, le) : view.getBigUint64(p, le);
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big;
}

function fixedString(bytes: Uint8Array, padding: "nullterm" | "nullpad" | "spacepad"): string {
  const nul = bytes.indexOf(0);
  let end = nul >= 0 ? nul : bytes.length;
  if (padding === "spacepad") while (end > 0 && bytes[end - 1] === 0x20) end--;
  return utf8.decode(bytes.subarray(0, end));
}

/** A variable-length string element: its length, then the global heap collection and object holding it. */
async function vlenString(ctx: FileContext, data: ByteCursor, p: number): Promise<string> {
  data.pos = p;
  const length = data.u32("variable-length string length");
  const collection = data.address("global heap collection address");
  const index = data.u32("global heap object index");
  if (length === 0) return "";
  if (collection === undefined)
    throw hdf5Error(`variable-length string without a global heap address`, data.base + p);
  const heap = await readGlobalHeap(ctx, collection);
  const object = heap.get(index);
  if (!object) throw hdf5Error(`global heap object ${index} is missing`, ctx.base + collection);
  if (object.length < length) {
    throw hdf5Error(
      `global heap object ${index} holds ${object.length} bytes, the string needs ${length}`,
      ctx.base + collection,
    );
  }
  return utf8.decode(object.subarray(0, length));
}
