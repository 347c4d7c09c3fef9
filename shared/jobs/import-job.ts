// An import of an NDJSON object (collections and items, one a line: what an export or `hexarchive
// export` writes), read with ranged GETs from a byte offset, a chunk of whole lines a step, written
// through a sink (the catalogue's item write path); the checkpoint is the offset and line reached.
// A line that cannot be written is reported with its number and the import goes on.
import type { ObjectInfo } from "../storage/object-store.ts";
import type { Step } from "./chunks.ts";
import type { BadLine, ImportSpec, Job } from "./model.ts";

/** What an import reads through: an object store of the source's bucket. */
export interface RangeObjects {
  head(key: string): Promise<ObjectInfo | undefined>;
  getRange(key: string, start: number, end: number): Promise<Uint8Array>;
}

export interface ImportRecord {
  line: number;
  value: unknown;
}

/** Writes parsed lines; a line it refuses is returned as bad; a failure of the store throws (fatal). */
export interface ImportSink {
  write(records: ImportRecord[]): Promise<{ items: number; collections: number; bad: BadLine[] }>;
}

export interface ImportSettings {
  /** Bytes read a step (whole lines of them are written, then checkpointed). */
  chunkBytes: number;
  /** A longer line is a bad line (skipped). */
  maxLineBytes: number;
}

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = { chunkBytes: 512 * 1024, maxLineBytes: 8 * 2 ** 20 };

export interface ImportDeps {
  objects(bucket: string): RangeObjects;
  sink(job: Job): ImportSink;
  settings: ImportSettings;
}

/** Bad lines kept in the job's status (their count is always exact). */
export const MAX_BAD_LINES = 100;

export interface ImportCheckpoint {
  size: number;
  etag?: string;
  /** Bytes of the object done: always the start of a line. */
  offset: number;
  /** Lines done. */
  line: number;
  items: number;
  collections: number;
  bad: number;
  badLines: BadLine[];
}

const where = (s: ImportSpec) => `s3://${s.bucket}/${s.key}`;

export async function beginImport(deps: ImportDeps, job: Job): Promise<ImportCheckpoint> {
  const spec = job.spec as ImportSpec;
  const info = await deps.objects(spec.bucket).head(spec.key);
  if (!info) throw new Error(`${where(spec)} does not exist`);
  return {
    size: info.size,
    ...(info.etag ? { etag: info.etag } : {}),
    offset: 0,
    line: 0,
    items: 0,
    collections: 0,
    bad: 0,
    badLines: [],
  };
}

const NL = 0x0a;

export async function importStep(
  deps: ImportDeps,
  job: Job,
  c: ImportCheckpoint,
): Promise<Step<ImportCheckpoint>> {
  const spec = job.spec as ImportSpec;
  const objects = deps.objects(spec.bucket);
  // Ranges of a replaced object would splice two files: an import reads one version or fails.
  const info = await objects.head(spec.key);
  if (!info || (c.etag && info.etag && info.etag !== c.etag) || info.size !== c.size)
    throw new Error(`${where(spec)} was replaced or removed during the import (after line ${c.line})`);
  if (c.offset >= c.size) return { checkpoint: c, done: true };
  const next: ImportCheckpoint = { ...c, badLines: [...c.badLines] };
  const reject = (b: BadLine) => {
    next.bad++;
    if (next.badLines.length < MAX_BAD_LINES)
      next.badLines.push({ line: b.line, reason: b.reason.slice(0, 300) });
  };
  const { chunkBytes, maxLineBytes } = deps.settings;
  let end = Math.min(c.size, c.offset + chunkBytes);
  let bytes = await objects.getRange(spec.key, c.offset, end);
  // A line longer than a chunk: read on until it ends, up to maxLineBytes.
  while (bytes.lastIndexOf(NL) < 0 && end < c.size && end - c.offset < maxLineBytes) {
    end = Math.min(c.size, c.offset + 2 * (end - c.offset), c.offset + maxLineBytes);
    bytes = await objects.getRange(spec.key, c.offset, end);
  }
  const lastNl = bytes.lastIndexOf(NL);
  if (lastNl < 0 && end < c.size) {
    // Longer still: skip it, finding its end chunk by chunk.
    let skip = end;
    for (;;) {
      const more = await objects.getRange(spec.key, skip, Math.min(c.size, skip + chunkBytes));
      const nl = more.indexOf(NL);
      if (nl >= 0 || skip + more.length >= c.size) {
        skip += nl >= 0 ? nl + 1 : more.length;
        break;
      }
      skip += more.length;
    }
    next.line++;
    reject({ line: next.line, reason: `longer than ${maxLineBytes} bytes` });
    next.offset = skip;
    return { checkpoint: next, done: next.offset >= c.size };
  }
  // Whole lines only, except at the end of the object, whose last line may have no newline.
  const used = end >= c.size ? bytes.length : lastNl + 1;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, used).toString("utf8");
  const records: ImportRecord[] = [];
  const lines = text.split("\n");
  if (text.endsWith("\n")) lines.pop();
  for (const raw of lines) {
    next.line++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    try {
      records.push({ line: next.line, value: JSON.parse(line) });
    } catch (e) {
      reject({ line: next.line, reason: `not JSON: ${(e as Error).message}` });
    }
  }
  const written = await deps.sink(job).write(records);
  next.items += written.items;
  next.collections += written.collections;
  for (const b of written.bad.sort((a, b) => a.line - b.line)) reject(b);
  next.badLines.sort((a, b) => a.line - b.line);
  next.offset = c.offset + used;
  return { checkpoint: next, done: next.offset >= c.size };
}

export const importCounts = (c: ImportCheckpoint) => ({
  lines: c.line,
  items: c.items,
  collections: c.collections,
  badLines: c.bad,
  bytesRead: c.offset,
  bytes: c.size,
});
