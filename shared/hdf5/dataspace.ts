// Dataspace messages (versions 1 and 2): the shape of an attribute's value.
import type { ByteCursor } from "./byte-cursor.ts";
import { hdf5Error } from "./hdf5-error.ts";

export interface Dataspace {
  kind: "scalar" | "simple" | "null";
  dims: number[];
}

export function decodeDataspace(c: ByteCursor): Dataspace {
  const at = c.at;
  const version = c.u8("dataspace version");
  if (version !== 1 && version !== 2) throw hdf5Error(`unsupported dataspace version ${version}`, at);
  const rank = c.u8("dataspace rank");
  if (rank > 32) throw hdf5Error(`dataspace of rank ${rank} (at most 32)`, at);
  c.u8("dataspace flags");
  let kind: Dataspace["kind"] = rank === 0 ? "scalar" : "simple";
  if (version === 1) c.skip(5);
  else {
    const type = c.u8("dataspace type");
    if (type > 2) throw hdf5Error(`unknown dataspace type ${type}`, at);
    kind = (["scalar", "simple", "null"] as const)[type]!;
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(c.length("dataspace dimension"));
  return { kind, dims };
}

export function elementCount(space: Dataspace): number {
  if (space.kind === "null") return 0;
  return space.dims.reduce((n, d) => n * d, 1);
}
