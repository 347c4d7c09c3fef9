// The bench's `--items-from FILE.ndjson` load: through the bulk module (shared/ingest/bulk-load.ts, the
// code behind `npm run load`), lines checked and indexed in worker threads (dev/local/prepare-pool.ts),
// with the bench's figures taken from what that module writes (a sink in front of the catalogue's).
import type { ItemSummary } from "../../shared/index/rows.ts";
import type { PreparedLine } from "../../shared/ingest/bulk-item.ts";
import { type BulkCheckpoint, type BulkSink, bulkLoadNdjson } from "../../shared/ingest/bulk-load.ts";
import { fileOpener } from "../../shared/ingest/ndjson-file.ts";
import type { BulkEntry, Importer } from "../../shared/storage/dynamo-bulk-load.ts";
import type { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { preparePool } from "../local/prepare-pool.ts";
import type { IngestFigures, LoadOptions } from "./load.ts";

export interface NdjsonFigures extends IngestFigures {
  /** Lines refused (not JSON, not a valid item): reported, not loaded. */
  badLines: number;
  collections: number;
}

/** A bench load starts afresh: no checkpoint is kept between runs. */
const noCheckpoint = () => {
  let saved: BulkCheckpoint | undefined;
  return {
    read: async () => saved,
    write: async (cp: BulkCheckpoint) => {
      saved = cp;
    },
    clear: async () => {
      saved = undefined;
    },
  };
};

/**
 * Loads the file's collections and items: the first `apiItems` items (all without an importer) through
 * BatchWriteItem, the rest through the importer. `keep` sees the summary of every item written.
 */
export async function loadNdjson(
  catalogue: DynamoCatalogue,
  file: string,
  o: LoadOptions & { workers: number; onBad?: (line: number, reason: string) => void },
): Promise<NdjsonFigures> {
  const pool = preparePool(Math.max(1, o.workers));
  const summaries = new WeakMap<BulkEntry, ItemSummary>();
  const apiItems = o.importer ? (o.apiItems ?? 0) : Number.POSITIVE_INFINITY;
  const capacityBefore = catalogue.stats.capacity;
  let items = 0;
  let rows = 0;
  let maxRows = 0;
  let apiSeconds: number | undefined;
  const t0 = performance.now();
  const sink: BulkSink = {
    getCollection: (id) => catalogue.getCollection(id),
    putCollection: (c) => catalogue.putCollection(c),
    flushRowCounts: () => catalogue.flushRowCounts(),
    extendCollection: (id, s) => catalogue.extendCollection(id, s),
    loadItems: async (entries: BulkEntry[], importer?: Importer) => {
      const viaApi = items < apiItems;
      await catalogue.loadItems(entries, viaApi ? undefined : importer);
      if (viaApi && items + entries.length >= apiItems) apiSeconds = (performance.now() - t0) / 1000;
      for (const e of entries) {
        rows += e.rows.length;
        maxRows = Math.max(maxRows, e.rows.length);
        const s = summaries.get(e);
        if (s) o.keep?.(s);
      }
      items += entries.length;
      o.progress?.(items);
    },
  };
  try {
    const result = await bulkLoadNdjson({
      open: fileOpener(file),
      sink,
      checkpoint: noCheckpoint(),
      ...(o.importer ? { importer: o.importer } : {}),
      // Summaries stay with their entries (the module hands the sink entries only).
      prepare: async (lines, version, now) => {
        const out: PreparedLine[] = await pool.prepare(lines, version, now);
        for (const p of out) if (p.kind === "item") summaries.set(p.entry, p.summary);
        return out;
      },
      // As the bench's generated loads do: an item of a collection the file does not hold gets a bare one.
      createCollections: true,
      ...(o.onBad ? { onBad: o.onBad } : {}),
    });
    const seconds = (performance.now() - t0) / 1000;
    const viaApi = Math.min(result.written, apiItems);
    return {
      items: result.written,
      seconds,
      itemsPerSecond: result.written / seconds,
      apiItems: viaApi,
      apiItemsPerSecond: viaApi > 0 ? viaApi / (apiSeconds ?? seconds) : undefined,
      rowsPerItem: rows / Math.max(1, items),
      maxRowsPerItem: maxRows,
      writeCapacityPerItem: (catalogue.stats.capacity - capacityBefore) / Math.max(1, items),
      rowsPerItemByClass: { given: rows / Math.max(1, items) },
      badLines: result.bad,
      collections: result.collections,
    };
  } finally {
    await pool.close();
  }
}
