// Runs test/hdf5/h5py-tool.py on a python3 that has h5py (Debian: python3-h5py), the reference
// implementation the reader is checked against. Tests skip, saying why, when there is none.
import { execFile } from "node:child_process";
import { openSync, readSync } from "node:fs";
import { resolve } from "node:path";
import { isDeepStrictEqual, promisify } from "node:util";
import type { Hdf5File } from "../../shared/hdf5/hdf5-file.ts";
import type { RangeReader } from "../../shared/zip/range-reader.ts";

const run = promisify(execFile);
const TOOL = resolve(import.meta.dirname, "h5py-tool.py");

/** A python3 that can import h5py, or undefined (with the reason printed). */
export async function findH5py(): Promise<string | undefined> {
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      await run(python, ["-c", "import h5py"]);
      return python;
    } catch {
      // try the next one
    }
  }
  console.warn("HDF5 cross-check tests skipped: no python3 with h5py (apt-get install python3-h5py)");
  return undefined;
}

export async function h5pyTool(python: string, args: string[]): Promise<string> {
  const { stdout } = await run(python, [TOOL, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

export interface RefAttribute {
  type: string;
  shape: number[] | null;
  value?: unknown;
}

export interface RefObject {
  attributes: Record<string, RefAttribute>;
  members?: Record<string, string>;
}

/** Every object's attributes and every group's members, as h5py reads them, per file. */
export async function dumpWithH5py(
  python: string,
  files: string[],
): Promise<Record<string, Record<string, RefObject>>> {
  return JSON.parse(await h5pyTool(python, ["dump", ...files]));
}

/** Our values in the form the dump uses: big integers and non-finite floats as the dump writes them. */
export function comparable(value: unknown): unknown {
  if (typeof value === "bigint") return { bigint: value.toString() };
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(comparable);
  return value;
}

/** A RangeReader over a file on disk, reading only the ranges asked for. */
export function fileReader(path: string, size: number): RangeReader {
  const fd = openSync(path, "r");
  return {
    size,
    read: async (start, end) => {
      const out = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      readSync(fd, out, 0, out.length, start);
      return out;
    },
  };
}

const DECODED = new Set(["integer", "float", "string", "vlen-string"]);

/**
 * Differences between our reader and h5py on every object of the dump: attribute names, types, shapes
 * and values (values only for the types we decode; for others we must say "not decoded"), and members.
 */
export async function compareWithReference(
  file: Hdf5File,
  reference: Record<string, RefObject>,
): Promise<{ diffs: string[]; attributes: number }> {
  const diffs: string[] = [];
  let attributes = 0;
  for (const [path, ref] of Object.entries(reference)) {
    const ours = await file.attributes(path);
    if (!ours) {
      diffs.push(`${path}: not found`);
      continue;
    }
    const names = ours.map((a) => a.name).sort();
    const refNames = Object.keys(ref.attributes).sort();
    if (JSON.stringify(names) !== JSON.stringify(refNames)) {
      diffs.push(`${path}: attributes ${names.join(",")} vs ${refNames.join(",")}`);
    }
    for (const a of ours) {
      const r = ref.attributes[a.name];
      if (!r) continue;
      attributes += 1;
      const type = DECODED.has(a.type) ? a.type : "other";
      const where = `${path} @${a.name}`;
      if (type !== r.type) diffs.push(`${where}: type ${a.type} vs ${r.type}`);
      if (JSON.stringify(a.shape) !== JSON.stringify(r.shape)) {
        diffs.push(`${where}: shape ${JSON.stringify(a.shape)} vs ${JSON.stringify(r.shape)}`);
      }
      if (r.type === "other" ? a.value !== undefined : !isDeepStrictEqual(comparable(a.value), r.value)) {
        diffs.push(`${where}: ${JSON.stringify(comparable(a.value))} vs ${JSON.stringify(r.value)}`);
      }
    }
    if (ref.members) {
      const members = (await file.members(path))!.map((m) => `${m.name}:${m.kind}`).sort();
      const refMembers = Object.entries(ref.members)
        .map(([n, k]) => `${n}:${k}`)
        .sort();
      if (JSON.stringify(members) !== JSON.stringify(refMembers)) {
        diffs.push(`${path}: ${members.length} members vs ${refMembers.length} (${members.slice(0, 3)} ...)`);
      }
    }
  }
  return { diffs, attributes };
}
