// stac-geoparquet for `hexarchive export --format geoparquet` and `hexarchive import --geoparquet`: the
// export collects what the NDJSON export would write and writes one file (the items in rows, the
// collections in its metadata); the import turns a file into the NDJSON the import reads (collections
// first, then items in the file's order), so its checkpoints and resumption work the same. The format
// is shared/export/'s codec: pure code, no I/O or AWS, the one part of shared/ the CLI uses.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { writeStacGeoparquet } from "../../shared/export/geoparquet-write.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";
import { UsageError } from "../errors.ts";

export const EXPORT_FORMATS = ["ndjson", "geoparquet"] as const;

export function exportFormat(v: unknown): (typeof EXPORT_FORMATS)[number] {
  const f = typeof v === "string" ? v : "ndjson";
  if (!(EXPORT_FORMATS as readonly string[]).includes(f))
    throw new UsageError(`--format: one of ${EXPORT_FORMATS.join(", ")}`);
  return f as (typeof EXPORT_FORMATS)[number];
}

/**
 * A collection's assets without its monthly snapshots (links into the exporting catalogue, which the
 * importing one makes for itself).
 */
export function withoutSnapshots<A extends { roles?: string[] }>(
  assets: Record<string, A>,
): Record<string, A> {
  return Object.fromEntries(
    Object.entries(assets).filter(
      ([k, a]) => !(/^snapshot-\d{4}-\d{2}$/.test(k) && (a.roles ?? []).includes("collection-mirror")),
    ),
  );
}

/** Gathers the export's objects, then writes them as one stac-geoparquet file. */
export class GeoparquetExport {
  private readonly collections: StacCollection[] = [];
  private readonly items: StacItem[] = [];
  constructor(private readonly file: string) {}

  add = async (o: unknown): Promise<void> => {
    const r = o as { type?: string };
    if (r.type === "Collection") this.collections.push(o as StacCollection);
    else this.items.push(o as StacItem);
  };

  /** Written to a temporary name and renamed: a file under its name is always whole. */
  close(): void {
    let bytes: Uint8Array;
    try {
      bytes = writeStacGeoparquet(this.items, { collections: this.collections });
    } catch (e) {
      throw new UsageError(`cannot write stac-geoparquet: ${(e as Error).message}`);
    }
    writeFileSync(`${this.file}.part`, bytes);
    renameSync(`${this.file}.part`, this.file);
  }
}

/**
 * The NDJSON of a stac-geoparquet file, in a temporary folder under a name made from the file's path,
 * size and time, so that a resumed import reads the very same lines.
 */
export async function geoparquetAsNdjson(file: string): Promise<string> {
  const st = statSync(file);
  const tag = createHash("sha256")
    .update(`${file}\u0000${st.size}\u0000${st.mtimeMs}`)
    .digest("hex")
    .slice(0, 16);
  const out = join(tmpdir(), `hexarchive-import-${tag}.ndjson`);
  let parsed: Awaited<ReturnType<typeof readStacGeoparquet>>;
  try {
    parsed = await readStacGeoparquet(readFileSync(file));
  } catch (e) {
    throw new UsageError(`--geoparquet ${file}: not a stac-geoparquet file (${(e as Error).message})`);
  }
  const lines = [...parsed.collections, ...parsed.items].map((o) => JSON.stringify(o));
  writeFileSync(`${out}.part`, lines.length ? `${lines.join("\n")}\n` : "");
  renameSync(`${out}.part`, out);
  return out;
}
