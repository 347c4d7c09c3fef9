// CRC-32 (IEEE, as zip uses it), including the CRC of long runs of zero bytes without touching them,
// so that a sparse placeholder member of any size can be described without being generated.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continues a CRC over more bytes: crc32(b, crc32(a)) === crc32(a ++ b). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function matrixTimes(mat: Uint32Array, vec: number): number {
  let sum = 0;
  let v = vec >>> 0;
  for (let i = 0; v !== 0; i++, v >>>= 1) if (v & 1) sum ^= mat[i]!;
  return sum >>> 0;
}

function matrixSquare(square: Uint32Array, mat: Uint32Array): void {
  for (let n = 0; n < 32; n++) square[n] = matrixTimes(mat, mat[n]!);
}

/** crc32(a ++ b) from crc32(a), crc32(b) and b's length (the zlib crc32_combine method). */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  const even = new Uint32Array(32);
  const odd = new Uint32Array(32);
  odd[0] = 0xedb88320;
  for (let n = 1, row = 1; n < 32; n++, row <<= 1) odd[n] = row >>> 0;
  matrixSquare(even, odd);
  matrixSquare(odd, even);
  let crc = crcA >>> 0;
  let len = lengthB;
  do {
    matrixSquare(even, odd);
    if (len % 2 === 1) crc = matrixTimes(even, crc);
    len = Math.floor(len / 2);
    if (len === 0) break;
    matrixSquare(odd, even);
    if (len % 2 === 1) crc = matrixTimes(odd, crc);
    len = Math.floor(len / 2);
  } while (len !== 0);
  return (crc ^ crcB) >>> 0;
}

/** CRC-32 of `length` zero bytes, in O(log² length). */
export function crc32OfZeros(length: number): number {
  let result = 0; // CRC of the empty string
  let resultLength = 0;
  let block = crc32(new Uint8Array(1));
  let blockLength = 1;
  let remaining = length;
  while (remaining > 0) {
    if (remaining % 2 === 1) {
      result = resultLength === 0 ? block : crc32Combine(result, block, blockLength);
      resultLength += blockLength;
    }
    remaining = Math.floor(remaining / 2);
    if (remaining > 0) {
      block = crc32Combine(block, block, blockLength);
      blockLength *= 2;
    }
  }
  return result >>> 0;
}
