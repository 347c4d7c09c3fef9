// NDJSON catalogues of any size in bounded memory: lines read chunk by chunk as the loader asks for
// them, items counted without holding the file, and generated catalogues written out with backpressure.

import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import type { StacItem } from "../../shared/stac/types.ts";

/** Bytes read from the file per chunk. */
const CHUNK_BYTES = 1 << 20;

/** What a reader has read so far (for tests: the reader holds no more than it was asked for). */
export interface ReadProgress {
  bytesRead: number;
}

/**
 * The file's non-blank lines, in order, read lazily: a chunk is read only when the lines before it have
 * been taken, so memory holds one chunk and one line, whatever the file's size.
 */
export async function* readLines(
  path: string,
  progress: ReadProgress = { bytesRead: 0 },
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<string> {
  let rest = "";
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: chunkBytes });
  for await (const chunk of stream as AsyncIterable<string>) {
    progress.bytesRead = stream.bytesRead;
    const lines = (rest + chunk).split("\n");
    rest = lines.pop()!;
    for (const l of lines) if (l.trim() !== "") yield l;
  }
  if (rest.trim() !== "") yield rest;
}

/** Non-blank lines of the file (one pass over its bytes, nothing kept). */
export async function countLines(path: string): Promise<number> {
  let n = 0;
  let blank = true;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 10) {
        if (!blank) n++;
        blank = true;
      } else if (b !== 32 && b !== 9 && b !== 13) blank = false;
    }
  }
  return blank ? n : n + 1;
}

/** Writes items [0, count) of `source` as NDJSON, waiting for the file whenever its buffer is full. */
export async function writeNdjson(
  path: string,
  count: number,
  source: (i: number) => StacItem,
): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < count; i++) {
    if (!out.write(`${JSON.stringify(source(i))}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/**
 * Lines [from, to) of the file, asked for in order (as loadArchive's parallel writers ask: each call
 * starts where the previous one ended); a call waits for the ones before it.
 */
export function lineChunks(path: string): (from: number, to: number) => Promise<string[]> {
  const lines = readLines(path);
  let position = 0;
  let tail: Promise<unknown> = Promise.resolve();
  return (from, to) => {
    if (from !== position) throw new Error(`lines ${from}–${to} asked for out of order (at ${position})`);
    position = to;
    const read = tail.then(async () => {
      const out: string[] = [];
      while (out.length < to - from) {
        const next = await lines.next();
        if (next.done) throw new Error(`${path} has ${from + out.length} items, fewer than ${to}`);
        out.push(next.value);
      }
      return out;
    });
    tail = read.catch(() => undefined);
    return read;
  };
}
