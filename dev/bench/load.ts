// Loads a generated archive into the local stack through the catalogue adapter's batch writes (and,
// past a sample, its bulk import path), measuring ingest rate, rows per item by footprint class and
// write capacity. A given NDJSON goes through the bulk module instead (load-ndjson.ts).
import { Worker } from "node:worker_threads";
import type { Key } from "../../shared/index/keys.ts";
import type { IndexRow, ItemSummary } from "../../shared/index/rows.ts";
import { newCollection } from "../../shared/products/new-collection.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import type { BuildRequest } from "./build-worker.ts";
import type { Shape } from "./generate.ts";

export interface IngestFigures {
  items: number;
  /** Wall time of the whole load, both paths. */
  seconds: number;
  itemsPerSecond: number;
  /** Items written through BatchWriteItem (the rest through the bulk importer), and their rate. */
  apiItems: number;
  apiItemsPerSecond: number | undefined;
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

/** Builds generated items of this seed and shape in `n` worker threads (round robin); `close` ends them. */
export function workerBuilder(
  n: number,
  what: { seed: number; shape: Shape },
): { build: Builder; close: () => Promise<void> } {
  const workers = Array.from({ length: n }, () => new Worker(new URL("./build-worker.mjs", import.meta.url)));
  const queues = workers.map(() => [] as ((v: BuiltItem[]) => void)[]);
  workers.forEach((w, k) => {
    w.on("message", (m: BuiltItem[]) => queues[k]!.shift()!(m));
  });
  let turn = 0;
  const send = (req: BuildRequest) =>
    new Promise<BuiltItem[]>((resolve) => {
      const k = turn++ % n;
      queues[k]!.push(resolve);
      workers[k]!.postMessage(req);
    });
  return {
    build: (from, to) => send({ seed: what.seed, from, to, shape: what.shape }),
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
export interface LoadOptions {
  /** Sees every item's summary (for brute force). */
  keep?: (s: ItemSummary) => void;
  progress?: (done: number) => void;
  /** Bulk import path for the items after the first `apiItems` (which go through BatchWriteItem). */
  importer?: (records: Record<string, unknown>[]) => Promise<number>;
  apiItems?: number;
}

/**
 * Loads items [0, count): the first `apiItems` (all without an importer) through BatchWriteItem, the
 * rest through the importer. Both paths write the same records and count the same row counts.
 */
export async function loadArchive(
  catalogue: DynamoCatalogue,
  count: number,
  build: Builder,
  options: LoadOptions = {},
): Promise<IngestFigures> {
  const { keep, progress, importer } = options;
  const apiItems = importer ? Math.min(count, options.apiItems ?? 0) : count;
  const t0 = performance.now();
  const known = new Set((await catalogue.listCollections()).map((c) => c.collection.id));
  const extremes = new Map<string, ItemSummary[]>();
  const byClass = new Map<string, { items: number; rows: number }>();
  let rows = 0;
  let maxRows = 0;
  // Over the whole load: loadItems calls overlap, so their own before/after differences would overlap too.
  const capacityBefore = catalogue.stats.capacity;
  const phase = async (start: number, end: number, viaImport: boolean) => {
    let next = start;
    const worker = async () => {
      while (next < end) {
        const from = next;
        next = Math.min(end, next + CHUNK);
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
        await catalogue.loadItems(entries, viaImport ? importer : undefined);
        progress?.(to);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  };
  await phase(0, apiItems, false);
  const apiSeconds = (performance.now() - t0) / 1000;
  if (apiItems < count) await phase(apiItems, count, true);
  await catalogue.flushRowCounts();
  // Collection extents and longest durations, from the few items that set them.
  for (const [id, list] of extremes) for (const s of list) await catalogue.extendCollection(id, s);
  const seconds = (performance.now() - t0) / 1000;
  return {
    items: count,
    seconds,
    itemsPerSecond: count / seconds,
    apiItems,
    apiItemsPerSecond: apiItems > 0 ? apiItems / apiSeconds : undefined,
    rowsPerItem: rows / count,
    maxRowsPerItem: maxRows,
    writeCapacityPerItem: (catalogue.stats.capacity - capacityBefore) / count,
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
