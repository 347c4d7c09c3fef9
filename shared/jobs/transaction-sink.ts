// The import's default sink: each line through the Transactions write path (validated, confined hrefs,
// indexed as ingest does). An item that exists is replaced, so a chunk written again after an
// interruption leaves no duplicate; a collection that exists is kept as it is.
import { CatalogueError, ConflictError } from "../errors.ts";
import { createCollection } from "../transactions/write-collection.ts";
import { createItems, replaceItem, type TransactionDeps } from "../transactions/write-item.ts";
import type { ImportRecord, ImportSink } from "./import-job.ts";
import type { BadLine } from "./model.ts";

const CONCURRENCY = 4;

/** A refusal of the line (bad input); anything else (the store failing) is the job's failure. */
const refusal = (e: unknown) => e instanceof CatalogueError && e.status < 500 && !e.retryable;

export function transactionSink(deps: TransactionDeps, base: string): ImportSink {
  const writeItem = async (value: Record<string, unknown>): Promise<number> => {
    const collection = value["collection"];
    if (typeof collection !== "string" || collection === "")
      throw new CatalogueError(400, "InvalidItem", "the item names no collection");
    try {
      await createItems(deps, collection, value, base);
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      await replaceItem(deps, collection, String(value["id"]), value, base);
    }
    return 1;
  };
  const writeCollection = async (value: Record<string, unknown>) => {
    try {
      await createCollection(deps, value);
      return 1;
    } catch (e) {
      if (e instanceof ConflictError) return 0;
      throw e;
    }
  };
  return {
    async write(records: ImportRecord[]) {
      const bad: BadLine[] = [];
      let items = 0;
      let collections = 0;
      /** What the write counts (0 or 1); a refused line counts 0 and is reported. */
      const attempt = async (r: ImportRecord, write: (v: Record<string, unknown>) => Promise<number>) => {
        try {
          return await write(r.value as Record<string, unknown>);
        } catch (e) {
          if (!refusal(e)) throw e;
          bad.push({ line: r.line, reason: (e as Error).message });
          return 0;
        }
      };
      // Collections in order, before the items that follow them; runs of items a few at a time.
      let run: ImportRecord[] = [];
      const flushItems = async () => {
        let next = 0;
        const batch = run;
        run = [];
        const worker = async () => {
          while (next < batch.length) {
            const r = batch[next++]!;
            // Awaited first: `items += await …` would read `items` before the other workers add theirs.
            const n = await attempt(r, writeItem);
            items += n;
          }
        };
        await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batch.length) }, worker));
      };
      for (const r of records) {
        const v = r.value as Record<string, unknown> | null;
        const type = typeof v === "object" && v !== null ? v["type"] : undefined;
        if (type === "Feature") {
          run.push(r);
          continue;
        }
        await flushItems();
        if (type === "Collection") {
          const n = await attempt(r, writeCollection);
          collections += n;
        } else bad.push({ line: r.line, reason: "neither a STAC Item (Feature) nor a Collection" });
      }
      await flushItems();
      return { items, collections, bad };
    },
  };
}
