// Where an import from another catalogue stands, kept in a file after every batch: the cursor of the
// page being written, how many of its entries are done, and the running counts. Written to a temporary
// file and renamed, so a kill leaves the old checkpoint or the new one, never half of one.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { UsageError } from "../../errors.ts";

export interface Counts {
  /** Items and products read from the source. */
  read: number;
  /** Items created (or, with --replace, replaced) in the target. */
  written: number;
  /** Items the target had already (kept as they were). */
  skipped: number;
  /** Products that could not be made items, and items the target refused. */
  failed: number;
  /** Collections created in the target. */
  collections: number;
}

export interface Checkpoint extends Counts {
  /** Which import this is (source and query): a checkpoint of another import is not resumed. */
  source: string;
  /** The page being written (undefined: the first) and how many of its entries are done. */
  cursor: unknown;
  offset: number;
  /** Set once the collections were created. */
  collectionsDone: boolean;
}

/** The default file: one per source, query and target, in the working directory. */
export function defaultCheckpointFile(source: string, target: string): string {
  const h = createHash("sha256").update(`${source}\n${target}`).digest("hex").slice(0, 12);
  return `hexarchive-import-${h}.checkpoint`;
}

export function loadCheckpoint(file: string, source: string): Checkpoint | undefined {
  if (!existsSync(file)) return undefined;
  let cp: Checkpoint;
  try {
    cp = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--checkpoint ${file}: not a checkpoint (${(e as Error).message})`);
  }
  if (cp.source !== source)
    throw new UsageError(
      `--checkpoint ${file} belongs to another import (${cp.source}); remove it or name another file`,
    );
  return cp;
}

export function saveCheckpoint(file: string, cp: Checkpoint): void {
  writeFileSync(`${file}.tmp`, JSON.stringify(cp));
  renameSync(`${file}.tmp`, file);
}

export function removeCheckpoint(file: string): void {
  if (existsSync(file)) unlinkSync(file);
}
