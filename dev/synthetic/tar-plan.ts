// Plans a ustar archive as parts (header bytes and zero runs), like planZip, so that a 1 GB synthetic
// Landsat scene can be served by byte range without being held.
import { readPlanRange } from "../../shared/zip/zip-output.ts";
import type { ZipPart } from "../../shared/zip/zip-writer.ts";

export type TarInput = { name: string; data: Uint8Array | string } | { name: string; zeros: number };

export interface TarPlan {
  size: number;
  parts: ZipPart[];
}

const BLOCK = 512;
const encoder = new TextEncoder();
/** Fixed mtime (2020-01-01) so that the same inputs give the same bytes. */
const MTIME = 1_577_836_800;

export function planTar(inputs: TarInput[]): TarPlan {
  const parts: ZipPart[] = [];
  let offset = 0;
  const push = (bytes: Uint8Array) => {
    parts.push({ offset, bytes });
    offset += bytes.length;
  };
  for (const input of inputs) {
    const data =
      "data" in input
        ? typeof input.data === "string"
          ? encoder.encode(input.data)
          : input.data
        : undefined;
    const size = data ? data.length : (input as { zeros: number }).zeros;
    push(header(input.name, size));
    if (data) push(data);
    else if (size > 0) {
      parts.push({ offset, zeros: size });
      offset += size;
    }
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding) push(new Uint8Array(padding));
  }
  push(new Uint8Array(2 * BLOCK)); // end-of-archive marker
  return { size: offset, parts };
}

export function readTarRange(plan: TarPlan, start: number, end: number): Uint8Array {
  return readPlanRange({ ...plan, members: [] }, start, end);
}

function header(name: string, size: number): Uint8Array {
  const nameBytes = encoder.encode(name);
  if (nameBytes.length > 100) throw new Error(`tar member name longer than 100 bytes: ${name}`);
  if (size >= 8 ** 11) throw new Error(`tar member ${name} is larger than ustar allows`);
  const h = new Uint8Array(BLOCK);
  h.set(nameBytes, 0);
  const octal = (at: number, width: number, v: number) =>
    h.set(encoder.encode(`${v.toString(8).padStart(width - 1, "0")}\0`), at);
  octal(100, 8, 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, MTIME);
  h[156] = 0x30; // regular file
  h.set(encoder.encode("ustar\u000000"), 257);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] ?? 0);
  h.set(encoder.encode(`${sum.toString(8).padStart(6, "0")}\0 `), 148);
  return h;
}
