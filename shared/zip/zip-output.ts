// Turns a ZipPlan into bytes: whole (small archives), as a stream of chunks, or one byte range at a time.
import type { ZipPart, ZipPlan } from "./zip-writer.ts";

function partLength(part: ZipPart): number {
  return "bytes" in part ? part.bytes.length : part.zeros;
}

/** Bytes [start, end) of the planned archive; placeholder members come out as zeros. */
export function readPlanRange(plan: ZipPlan, start: number, end: number): Uint8Array {
  const from = Math.max(0, start);
  const to = Math.min(plan.size, end);
  const out = new Uint8Array(Math.max(0, to - from));
  // Binary search for the first part that ends after `from`.
  let lo = 0;
  let hi = plan.parts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = plan.parts[mid]!;
    if (p.offset + partLength(p) <= from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < plan.parts.length; i++) {
    const part = plan.parts[i]!;
    if (part.offset >= to) break;
    if ("bytes" in part) {
      const s = Math.max(from, part.offset);
      const e = Math.min(to, part.offset + part.bytes.length);
      if (e > s) out.set(part.bytes.subarray(s - part.offset, e - part.offset), s - from);
    }
  }
  return out;
}

export function planToBytes(plan: ZipPlan): Uint8Array {
  return readPlanRange(plan, 0, plan.size);
}

/** The archive as a sequence of chunks of at most `chunkSize` bytes, generated as they are pulled. */
export function* planChunks(plan: ZipPlan, chunkSize = 1 << 20): Generator<Uint8Array> {
  for (let at = 0; at < plan.size; at += chunkSize) yield readPlanRange(plan, at, at + chunkSize);
}
