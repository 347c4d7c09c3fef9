// The bytes of one file inside a zip or tar product, as a stream of chunks read by range: memory stays
// flat (one chunk plus zlib's window) whatever the member's size, and nothing else of the product is read.
import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { ProductError } from "../errors.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import { crc32 } from "../zip/crc32.ts";
import { LOCAL_HEADER_SIZE, METHOD_DEFLATE, METHOD_STORED, SIG_LOCAL, view } from "../zip/zip-format.ts";
import { memberRef } from "../zip/zip-member.ts";
import type { ZipEntry } from "../zip/zip-reader.ts";

/** Where a member's bytes lie. Zip data starts after a local header whose length we read first. */
export type MemberLocation =
  | {
      kind: "zip";
      path: string;
      localHeaderOffset: number;
      compressedSize: number;
      size: number;
      method: number;
      crc32: number;
      flags?: number;
    }
  | { kind: "tar"; path: string; dataOffset: number; size: number };

/** Where a zip entry's bytes lie, from its central-directory record. */
export const zipLocation = (e: ZipEntry): MemberLocation => ({
  kind: "zip",
  ...memberRef(e),
  flags: e.flags,
});

export const READ_CHUNK = 8 * 1024 * 1024;

async function* ranges(store: ObjectStore, key: string, start: number, end: number, chunk: number) {
  for (let p = start; p < end; p += chunk) yield await store.getRange(key, p, Math.min(end, p + chunk));
}

/** Where a zip member's data begins: after its local header, whose name and extra lengths are read here. */
export async function zipDataStart(
  store: ObjectStore,
  key: string,
  m: Extract<MemberLocation, { kind: "zip" }>,
) {
  const head = await store.getRange(key, m.localHeaderOffset, m.localHeaderOffset + LOCAL_HEADER_SIZE);
  if (head.length < LOCAL_HEADER_SIZE || view(head).getUint32(0, true) !== SIG_LOCAL)
    throw new ProductError(`corrupt zip: no local header for ${m.path} at offset ${m.localHeaderOffset}`);
  const dv = view(head);
  return m.localHeaderOffset + LOCAL_HEADER_SIZE + dv.getUint16(26, true) + dv.getUint16(28, true);
}

/** Yields the member's uncompressed bytes; checks size (and CRC-32 for zips) at the end. */
export async function* memberChunks(
  store: ObjectStore,
  key: string,
  m: MemberLocation,
  chunk = READ_CHUNK,
): AsyncGenerator<Uint8Array> {
  if (m.kind === "tar") {
    yield* ranges(store, key, m.dataOffset, m.dataOffset + m.size, chunk);
    return;
  }
  if ((m.flags ?? 0) & 1) throw new ProductError(`zip member ${m.path} is encrypted`);
  if (m.method !== METHOD_STORED && m.method !== METHOD_DEFLATE)
    throw new ProductError(`zip member ${m.path} uses unsupported compression method ${m.method}`);
  const start = await zipDataStart(store, key, m);
  const raw = ranges(store, key, start, start + m.compressedSize, chunk);
  const source: AsyncIterable<Uint8Array> =
    m.method === METHOD_STORED ? raw : Readable.from(raw).pipe(createInflateRaw({ chunkSize: 1024 * 1024 }));
  let size = 0;
  let crc = 0;
  for await (const piece of source) {
    const bytes = piece instanceof Uint8Array ? piece : Buffer.from(piece as string);
    size += bytes.length;
    if (size > m.size)
      throw new ProductError(`corrupt zip: ${m.path} inflates beyond its declared ${m.size} bytes`);
    crc = crc32(bytes, crc);
    yield bytes;
  }
  if (size !== m.size)
    throw new ProductError(`corrupt zip: ${m.path} holds ${size} bytes, the directory says ${m.size}`);
  if (crc !== m.crc32) throw new ProductError(`corrupt zip: CRC mismatch in ${m.path}`);
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}
