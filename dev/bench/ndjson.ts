// NDJSON catalogues of any size in bounded memory: items counted without holding the file, and
// generated catalogues written out with backpressure (a given file is read by the bulk module,
// load-ndjson.ts).

import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import type { StacItem } from "../../shared/stac/types.ts";

/** Bytes read from the file per chunk. */
const CHUNK_BYTES = 1 << 20;

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
