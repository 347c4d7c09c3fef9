// An export's conversion (a format with `convert`, formats.ts): the spooled NDJSON becomes the result in
// bounded steps, each reading on from the spool offset its checkpoint holds, uploading one part of the
// result and storing beside it what the result's end needs of that part (`<result key>.kept/<part>`).
// A step run again from its checkpoint (an invocation that died) writes the same part and kept object
// again, which replace the first ones. Once the result is whole, a last step removes the spool and kept
// objects. No step holds more than a row group of items, nor reads the spool from its start.
import type { Step } from "./chunks.ts";
import type { ExportFormat } from "./formats.ts";
import type { PartUploads, UploadedPart } from "./multipart.ts";
import { spoolLines } from "./spool-lines.ts";

/** The checkpoint's fields a conversion reads and writes (export-job.ts ExportCheckpoint). */
export interface ConvertFields {
  key: string;
  uploadId: string;
  parts: UploadedPart[];
  bytes: number;
  /** The NDJSON the result is made from, while it is being converted. */
  spool?: string;
  spoolBytes?: number;
  /** Where in the spool the next step reads on. */
  spoolAt?: number;
  /** The format's conversion state after the last step (formats.ts Converter). */
  converter?: unknown;
  /** The result is whole: what is left to remove before it is completed. */
  leftovers?: { spool: string; kept: number };
}

export interface ConvertDeps {
  uploads: PartUploads;
  /** Items held at once (a row group); bytes that make a part. */
  rows: number;
  partBytes: number;
  maxParts: number;
}

export const keptKey = (key: string, part: number) => `${key}.kept/${part}`;

async function textOf(chunks: AsyncIterable<Uint8Array>): Promise<string> {
  const all: Uint8Array[] = [];
  for await (const c of chunks) all.push(c);
  return Buffer.concat(all).toString("utf8");
}

async function* noLines() {}

export async function convertStep<C extends ConvertFields>(
  deps: ConvertDeps,
  format: ExportFormat,
  c: C,
): Promise<Step<C>> {
  if (c.leftovers) {
    const { spool, kept } = c.leftovers;
    await deps.uploads.remove(spool);
    for (let n = 1; n <= kept; n++) await deps.uploads.remove(keptKey(c.key, n));
    const { leftovers: _, ...next } = c;
    return { checkpoint: next as C, done: true };
  }
  const spool = c.spool!;
  const at = c.spoolAt ?? 0;
  const n = c.parts.length + 1;
  if (n > deps.maxParts)
    throw new Error(`the export passed ${deps.maxParts} parts, the most one job keeps: narrow the search`);
  const r = await format.convert!.step({
    state: c.converter,
    at,
    lines: at < (c.spoolBytes ?? 0) ? spoolLines(deps.uploads.read(spool, at), at) : noLines(),
    rows: deps.rows,
    partBytes: deps.partBytes,
    kept: async () => {
      const out: string[] = [];
      for (let i = 1; i < n; i++) out.push(await textOf(deps.uploads.read(keptKey(c.key, i))));
      return out;
    },
  });
  const part = await deps.uploads.part(c.key, c.uploadId, n, r.bytes);
  const next: C = { ...c, parts: [...c.parts, part], bytes: c.bytes + r.bytes.length };
  if (!r.done) {
    await deps.uploads.write(keptKey(c.key, n), r.kept);
    return { checkpoint: { ...next, spoolAt: r.read, converter: r.state }, done: false };
  }
  const { spool: _s, spoolAt: _a, spoolBytes: _b, converter: _c, ...whole } = next;
  return { checkpoint: { ...whole, leftovers: { spool, kept: n - 1 } } as C, done: false };
}
