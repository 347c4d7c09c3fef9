// Loads an archive into the local stack through the catalogue adapter's batch writes, measuring
// ingest rate, rows per item by footprint class and write capacity.
import { Worker } from "node:worker_threads";
import type { Key } from "../../shared/index/keys.ts";
import { buildItemRows, type IndexRow, type ItemSummary } from "../../shared/index/rows.ts";
import { newCollection } from "../../shared/stac/new-collection.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";

export interface IngestFigures {
  items: number;
  itemsPerSecond: number;
  rowsPerItem: number;
  maxRowsPerItem: number;
  writeCapacityPerItem: number;
  rowsPerItemByClass: Record<string, number>;
}

const CHUNK = 250;
const PARALLEL = 6;

export interface BuiltItem {
  item: StacItem;
  cls: string;
  rows: IndexRow[];
  record: Key;
  summary: ItemSummary;
}

/** Items [from, to) with their rows. */
export type Builder = (from: number, to: number) => Promise<BuiltItem[]>;

/** Builds in the calling thread. */
export const localBuilder =
  (source: (i: number) => { item: StacItem; cls: string }): Builder =>
  async (from, to) => {
    const out: BuiltItem[] = [];
    for (let i = from; i < to; i++) {
      const { item, cls } = source(i);
      const b = buildItemRows(item, "v1");
      out.push({ item, cls, rows: b.rows, record: b.record, summary: b.summary });
    }
    return out;
  };

/** Builds generated items in `n` worker threads (round robin); `close` ends them. */
export function workerBuilder(seed: number, n: number): { build: Builder; close: () => Promise<void> } {
  const workers = Array.from({ length: n }, () => new Worker(new URL("./build-worker.mjs", import.meta.url)));
  const queues = workers.map(() => [] as ((v: BuiltItem[]) => void)[]);
  workers.forEach((w, k) => {
    w.on("message", (m: BuiltItem[]) => queues[k]!.shift()!(m));
  });
  let turn = 0;
  return {
    build: (from, to) =>
      new Promise((resolve) => {
        const k = turn++ % n;
        queues[k]!.push(resolve);
        workers[k]!.postMessage({ seed, from, to });
      }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
/** `source(i)` gives item i and its footprint class; `keep` sees every item's summary (for brute force). */
export async function loadArchive(
  catalogue: DynamoCatalogue,
  count: number,
  build: Builder,
  keep?: (s: ItemSummary) => void,
  progress?: (done: number) => void,
): Promise<IngestFigures> {
  const t0 = performance.now();
  const known = new Set((await catalogue.listCollections()).map((c) => c.collection.id));
  const extremes = new Map<string, ItemSummary[]>();
  const byClass = new Map<string, { items: number; rows: number }>();
  let rows = 0;
  let maxRows = 0;
  let capacity = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const from = next;
      next = Math.min(count, next + CHUNK);
      const to = next;
      const entries = [];
      for (const built of await build(from, to)) {
        const { item, cls } = built;
        entries.push({ item, rows: built.rows, record: built.record, version: "v1" });
        rows += built.rows.length;
        maxRows = Math.max(maxRows, built.rows.length);
        const c = byClass.get(cls) ?? { items: 0, rows: 0 };
        c.items++;
        c.rows += built.rows.length;
        byClass.set(cls, c);
        keep?.(built.summary);
        noteExtremes(extremes, built.summary);
      }
      for (const e of entries) {
        const id = e.item.collection!;
        if (known.has(id)) continue;
        known.add(id);
        await catalogue.putCollection(
          newCollection({ id, title: id, description: id, license: "other", providers: [], keywords: [] }),
        );
      }
      capacity += await catalogue.loadItems(entries);
      progress?.(to);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  await catalogue.flushRowCounts();
  // Collection extents and longest durations, from the few items that set them.
  for (const [id, list] of extremes) for (const s of list) await catalogue.extendCollection(id, s);
  const seconds = (performance.now() - t0) / 1000;
  return {
    items: count,
    itemsPerSecond: count / seconds,
    rowsPerItem: rows / count,
    maxRowsPerItem: maxRows,
    writeCapacityPerItem: capacity / count,
    rowsPerItemByClass: Object.fromEntries([...byClass].map(([k, v]) => [k, v.rows / v.items])),
  };
}

function noteExtremes(m: Map<string, ItemSummary[]>, s: ItemSummary): void {
  const list = m.get(s.collection) ?? [s, s, s];
  const dur = (x: ItemSummary) => Date.parse(x.end) - Date.parse(x.start);
  if (s.start < list[0]!.start) list[0] = s;
  if (s.end > list[1]!.end) list[1] = s;
  if (dur(s) > dur(list[2]!)) list[2] = s;
  m.set(s.collection, list);
}
