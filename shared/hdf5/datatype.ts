// Datatype messages, reduced to what attribute values need: integers, IEEE floats, fixed-length and
// variable-length strings. Every other class is named so that callers can tell what they got.
import type { ByteCursor } from "./byte-cursor.ts";
import { hdf5Error } from "./hdf5-error.ts";

export type Datatype =
  | { class: "integer"; size: number; littleEndian: boolean; signed: boolean }
  | { class: "float"; size: 4 | 8; littleEndian: boolean }
  | { class: "string"; size: number; padding: "nullterm" | "nullpad" | "spacepad" }
  | { class: "vlen-string"; size: number }
  /** A type whose values we do not decode, e.g. "compound" or "reference". */
  | { class: "other"; size: number; name: string };

const CLASS_NAMES = [
  "integer",
  "float",
  "time",
  "string",
  "bitfield",
  "opaque",
  "compound",
  "reference",
  "enum",
  "variable-length",
  "array",
];

export function decodeDatatype(c: ByteCursor): Datatype {
  const at = c.at;
  const classAndVersion = c.u8("datatype class");
  const cls = classAndVersion & 0x0f;
  const version = classAndVersion >> 4;
  if (version < 1 || version > 5) throw hdf5Error(`unsupported datatype version ${version}`, at);
  const bits0 = c.u8("datatype bit field");
  c.skip(2, "datatype bit field");
  const size = c.u32("datatype size");
  const name = CLASS_NAMES[cls];
  if (name === undefined) throw hdf5Error(`unknown datatype class ${cls}`, at);
  if (size === 0) throw hdf5Error(`datatype of class ${name} has size 0`, at);
  const littleEndian = (bits0 & 1) === 0;
  if (cls === 0) {
    const offset = c.u16("integer bit offset");
    const precision = c.u16("integer precision");
    if (offset !== 0 || precision !== size * 8 || ![1, 2, 4, 8].includes(size)) {
      return { class: "other", size, name: `integer (${precision} bits at ${offset} in ${size} bytes)` };
    }
    return { class: "integer", size, littleEndian, signed: (bits0 & 0x08) !== 0 };
  }
  if (cls === 1) {
    c.u16("float bit offset");
    c.u16("float precision");
    const layout = [c.u8(), c.u8(), c.u8(), c.u8()].join(",");
    c.u32("exponent bias");
    const vax = (bits0 & 0x40) !== 0;
    if (!vax && size === 4 && layout === "23,8,0,23") return { class: "float", size, littleEndian };
    if (!vax && size === 8 && layout === "52,11,0,52") return { class: "float", size, littleEndian };
    return { class: "other", size, name: `float (${size} bytes, non-IEEE layout)` };
  }
  if (cls === 3) {
    const padding = (["nullterm", "nullpad", "spacepad"] as const)[bits0 & 0x0f];
    if (!padding) throw hdf5Error(`string datatype with unknown padding ${bits0 & 0x0f}`, at);
    return { class: "string", size, padding };
  }
  if (cls === 9) {
    // Variable-length: a string (type 1) or a sequence (type 0) of a base type that follows.
    if ((bits0 & 0x0f) === 1) return { class: "vlen-string", size };
    return { class: "other", size, name: "variable-length sequence" };
  }
  return { class: "other", size, name };
}
