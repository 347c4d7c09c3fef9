// A local NDJSON file as a bulk load's source (opened at any byte offset) and a checkpoint kept in a
// file next to it, replaced atomically (written aside, then renamed) so that a kill never leaves half of one.
import { createReadStream, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { BulkCheckpoint, CheckpointStore } from "./bulk-load.ts";
import type { OpenAt } from "./ndjson-lines.ts";

/** Bytes read per chunk. */
const CHUNK_BYTES = 1 << 20;

export const fileOpener =
  (path: string): OpenAt =>
  (offset) =>
    createReadStream(path, { start: offset, highWaterMark: CHUNK_BYTES });

export function fileCheckpoint(path: string): CheckpointStore {
  return {
    read: async () =>
      existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as BulkCheckpoint) : undefined,
    write: async (cp) => {
      writeFileSync(`${path}.tmp`, `${JSON.stringify(cp)}\n`);
      renameSync(`${path}.tmp`, path);
    },
    clear: async () => rmSync(path, { force: true }),
  };
}
