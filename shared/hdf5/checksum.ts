// Bob Jenkins' lookup3 hash ("hashlittle"), which HDF5 uses both as the checksum of its version-2
// structures and as the name hash in dense link and attribute indexes.
import { hdf5Error } from "./hdf5-error.ts";

const rot = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export function lookup3(data: Uint8Array, initval = 0): number {
  let a = (0xdeadbeef + data.length + initval) >>> 0;
  let b = a;
  let c = a;
  let k = 0;
  let left = data.length;
  const word = (i: number) =>
    (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
  while (left > 12) {
    a = (a + word(k)) >>> 0;
    b = (b + word(k + 4)) >>> 0;
    c = (c + word(k + 8)) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 4)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 6)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 8)) >>> 0;
    b = (b + a) >>> 0;
    a = (a - c) >>> 0;
    a = (a ^ rot(c, 16)) >>> 0;
    c = (c + b) >>> 0;
    b = (b - a) >>> 0;
    b = (b ^ rot(a, 19)) >>> 0;
    a = (a + c) >>> 0;
    c = (c - b) >>> 0;
    c = (c ^ rot(b, 4)) >>> 0;
    b = (b + a) >>> 0;
    left -= 12;
    k += 12;
  }
  if (left === 0) return c;
  // The last 1..12 bytes: byte j of the tail goes into word j/4 at bit 8*(j%4).
  const tail = [0, 0, 0];
  for (let j = 0; j < left; j++) tail[j >> 2] = (tail[j >> 2]! + (data[k + j]! << (8 * (j & 3)))) >>> 0;
  a = (a + tail[0]!) >>> 0;
  b = (b + tail[1]!) >>> 0;
  c = (c + tail[2]!) >>> 0;
  c = ((c ^ b) - rot(b, 14)) >>> 0;
  a = ((a ^ c) - rot(c, 11)) >>> 0;
  b = ((b ^ a) - rot(a, 25)) >>> 0;
  c = ((c ^ b) - rot(b, 16)) >>> 0;
  a = ((a ^ c) - rot(c, 4)) >>> 0;
  b = ((b ^ a) - rot(a, 14)) >>> 0;
  c = ((c ^ b) - rot(b, 24)) >>> 0;
  return c;
}

/** Checks the 4-byte checksum that ends `bytes` (a whole version-2 structure). */
export function verifyChecksum(bytes: Uint8Array, what: string, at: number): void {
  const n = bytes.length - 4;
  if (n < 0) throw hdf5Error(`${what} is too short to hold its checksum`, at);
  const stored = (bytes[n]! | (bytes[n + 1]! << 8) | (bytes[n + 2]! << 16) | (bytes[n + 3]! << 24)) >>> 0;
  const computed = lookup3(bytes.subarray(0, n));
  if (stored !== computed) {
    throw hdf5Error(
      `${what} checksum mismatch (stored ${stored.toString(16)}, computed ${computed.toString(16)})`,
      at,
    );
  }
}
