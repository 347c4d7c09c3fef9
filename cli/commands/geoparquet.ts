// stac-geoparquet for `hexarchive export --format geoparquet` and `hexarchive import --geoparquet`: the
// export takes what the NDJSON export would write and writes one file (the items in rows, the
// collections in its metadata); the import turns a file into the NDJSON the import reads (collections
// first, then items in the file's order), so its checkpoints and resumption work the same. Both hold a
// batch of rows in memory at a time. The format
// is shared/export/'s codec: pure code, no I/O or AWS, the one part of shared/ the CLI uses.
import { createHash } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  renameSync,
  statSync,
  unlinkSync,
  type WriteStream,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { asyncBufferFromFile } from "hyparquet";
import { fileWriter } from "hyparquet-writer";
import { openStacGeoparquetFile, type StacGeoparquetFile } from "../../shared/export/geoparquet-read.ts";
import { newPlan, planItem } from "../../shared/export/geoparquet-schema.ts";
import { openStacGeoparquet } from "../../shared/export/geoparquet-write.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";
import { UsageError } from "../errors.ts";

/**
 * Gathers the export: collections in memory, items spooled to a temporary NDJSON file while their
 * columns are planned, then written batch by batch (memory holds one batch, not the catalogue).
 */
export class GeoparquetExport {
  private readonly collections: StacCollection[] = [];
  private readonly plan = newPlan();
  private readonly spool: string;
  private out: WriteStream | undefined;
  constructor(private readonly file: string) {
    this.spool = `${file}.items.tmp`;
  }

  add = async (o: unknown): Promise<void> => {
    const r = o as { type?: string };
    if (r.type === "Collection") {
      this.collections.push(o as StacCollection);
      return;
    }
    try {
      planItem(this.plan, o as StacItem);
    } catch (e) {
      throw new UsageError(`cannot write stac-geoparquet: ${(e as Error).message}`);
    }
    this.out ??= createWriteStream(this.spool);
    const out = this.out;
    await new Promise<void>((done) =>
      out.write(`${JSON.stringify(o)}\n`) ? done() : out.once("drain", done),
    );
  };

  /** Written to a temporary name and renamed: a file under its name is always whole. */
  async close(): Promise<void> {
    const out = this.out;
    if (out) await new Promise<void>((done) => out.end(done));
    const part = `${this.file}.part`;
    const file = openStacGeoparquet(fileWriter(part), this.plan, { collections: this.collections });
    if (out) {
      let batch: StacItem[] = [];
      for await (const line of createInterface({
        input: createReadStream(this.spool),
        crlfDelay: Infinity,
      })) {
        batch.push(JSON.parse(line) as StacItem);
        if (batch.length >= BATCH) {
          file.write(batch);
          batch = [];
        }
      }
      file.write(batch);
      unlinkSync(this.spool);
    }
    file.finish();
    renameSync(part, this.file);
  }
}

/** Rows a batch holds, in memory at once, and a row group of the file. */
const BATCH = 10_000;

/**
 * The NDJSON of a stac-geoparquet file, in a temporary folder under a name made from the file's path,
 * size and time, so that a resumed import reads the very same lines. Read a batch of rows at a time.
 */
export async function geoparquetAsNdjson(path: string): Promise<string> {
  const st = statSync(path);
  const tag = createHash("sha256")
    .update(`${path}\u0000${st.size}\u0000${st.mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  const out = join(tmpdir(), `hexarchive-import-${tag}.ndjson`);
  let file: StacGeoparquetFile;
  try {
    file = await openStacGeoparquetFile(await asyncBufferFromFile(path));
  } catch (e) {
    throw new UsageError(`--geoparquet ${path}: not a stac-geoparquet file (${(e as Error).message})`);
  }
  const stream = createWriteStream(`${out}.part`);
  const write = (o: unknown) =>
    new Promise<void>((done) =>
      stream.write(`${JSON.stringify(o)}\n`) ? done() : stream.once("drain", done),
    );
  for (const c of file.collections) await write(c);
  for (let start = 0; start < file.rows; start += BATCH)
    for (const item of await file.items(start, Math.min(file.rows, start + BATCH))) await write(item);
  await new Promise<void>((done) => stream.end(done));
  renameSync(`${out}.part`, out);
  return out;
}
