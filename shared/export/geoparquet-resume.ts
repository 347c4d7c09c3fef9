// A stac-geoparquet file written across invocations: each one takes the file on at the byte offset where
// the previous stopped and writes whole row groups, handing back their metadata as JSON text to be kept
// outside (the Parquet footer lists every row group, and no invocation holds them all while writing);
// the last one writes the page indexes and footer of all of them from what was kept.
import { ByteWriter } from "hyparquet-writer";
import type { StacCollection, StacItem } from "../stac/types.ts";
import type { ColumnPlan } from "./geoparquet-schema.ts";
import { stacParquetWriter } from "./geoparquet-write.ts";

export interface ResumedFile {
  /** Bytes of the file written so far, these included: where the next invocation takes it on. */
  readonly offset: number;
  /** Writes the items as row groups (of rowGroupSize at most); the bytes they added to the file. */
  write(items: StacItem[]): Uint8Array;
  /** The metadata of the row groups this handle wrote, to be kept until the file's end. */
  groups(): string;
  /** The file's last bytes, from every row group's kept metadata in order (this handle's included). */
  finish(kept: string[], collections: StacCollection[]): Uint8Array;
}

/** Row groups' metadata holds 64-bit integers and bytes (statistics), which JSON does not. */
const replacer = (_k: string, v: unknown) => {
  if (typeof v === "bigint") return { $big: v.toString() };
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString("base64") };
  if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
  return v;
};
const reviver = (_k: string, v: unknown) => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const o = v as Record<string, string>;
  if (typeof o["$big"] === "string") return BigInt(o["$big"]);
  if (typeof o["$bytes"] === "string") return new Uint8Array(Buffer.from(o["$bytes"], "base64"));
  if (typeof o["$num"] === "string") return Number(o["$num"]);
  return v;
};

type Pq = ReturnType<typeof stacParquetWriter>["pq"];
interface KeptGroups {
  rowGroups: Pq["row_groups"];
  /** Each column chunk's page indexes (written at the end), in the order of the row groups' chunks. */
  indexes: Omit<Pq["pendingIndexes"][number], "chunk">[];
}

/** The file from byte `at` on (0: a new file, its header first). */
export function resumeStacGeoparquet(plan: ColumnPlan, at: number, rowGroupSize: number): ResumedFile {
  const out = new ByteWriter();
  const w = stacParquetWriter(out, plan, { rowGroupSize });
  if (at > 0) {
    // The header went out with the file's first bytes: drop this one and count on from there.
    out.index = 0;
    out.offset = at;
  }
  const take = () => {
    const b = out.getBytes().slice();
    out.index = 0;
    return b;
  };
  return {
    get offset() {
      return out.offset;
    },
    write(items) {
      w.write(items);
      return take();
    },
    groups() {
      const kept: KeptGroups = {
        rowGroups: w.pq.row_groups,
        indexes: w.pq.pendingIndexes.map(({ chunk: _, ...rest }) => rest),
      };
      return JSON.stringify(kept, replacer);
    },
    finish(kept, collections) {
      const rowGroups: Pq["row_groups"] = [];
      const indexes: Pq["pendingIndexes"] = [];
      for (const text of kept) {
        const k = JSON.parse(text, reviver) as KeptGroups;
        const chunks = k.rowGroups.flatMap((g) => g.columns);
        if (chunks.length !== k.indexes.length) throw new Error("kept row groups and page indexes disagree");
        rowGroups.push(...k.rowGroups);
        // The footer's chunk records are the ones the index writer gives its offsets to: the same objects.
        chunks.forEach((chunk, i) => {
          indexes.push({ ...k.indexes[i], chunk });
        });
      }
      w.pq.row_groups = rowGroups;
      w.pq.pendingIndexes = indexes;
      w.pq.num_rows = rowGroups.reduce((n, g) => n + g.num_rows, 0n);
      w.finish(collections);
      return take();
    },
  };
}
