// The import's sink: a chunk's lines checked as the Transactions API checks a POST or PUT (the collection
// exists, validateApiItem, confined s3:// hrefs, record size), then written together through the bulk
// writer (storage/dynamo-item-batches.ts: rows, change-log entries, records and the stale rows of
// replaced items in batch requests; row counts, tile footprints and collection levels once per chunk)
// and the collections' extents and summaries widened once per chunk (ingest/bulk-load.ts's digest).
// An item that exists is replaced and keeps its `created`, so a chunk written again after an
// interruption leaves no duplicate; a collection that exists is kept as it is.
import { mapLimited } from "../concurrency.ts";
import { CatalogueError, ConflictError } from "../errors.ts";
import { withProductUuid } from "../index/product-uuid.ts";
import { buildItemRows } from "../index/rows.ts";
import { CollectionDigest } from "../ingest/bulk-load.ts";
import { apiVersion, withRecordDates } from "../ingest/index-item.ts";
import { API_SOURCE } from "../products/object-home.ts";
import { requireCollection } from "../search/search.ts";
import type { StacItem } from "../stac/types.ts";
import { itemRef, type StoredItem } from "../storage/catalogue.ts";
import type { ItemPut } from "../storage/dynamo-item-batches.ts";
import { requireConfinedHrefs } from "../transactions/confine-hrefs.ts";
import { checkRecordSize, withinRecordLimit } from "../transactions/record-size.ts";
import { validateApiItem } from "../transactions/validate-item.ts";
import { createCollection } from "../transactions/write-collection.ts";
import type { TransactionDeps } from "../transactions/write-item.ts";
import type { ImportRecord, ImportSink } from "./import-job.ts";
import type { BadLine } from "./model.ts";

/** The bulk writer (DynamoCatalogue has it). */
export interface ItemBatchWriter {
  putItems(puts: ItemPut[]): Promise<void>;
}

export interface BulkSinkDeps extends TransactionDeps {
  writer: ItemBatchWriter;
}

/** Lines checked at once (the Transactions path wrote four items at once). */
const CHECK_CONCURRENCY = 8;

/** Items per batch write (their intents are logged together and must be confirmed within seconds). */
const WRITE_GROUP = 100;

/** A refusal of the line (bad input); anything else (the store failing) is the job's failure. */
const refusal = (e: unknown) => e instanceof CatalogueError && e.status < 500 && !e.retryable;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function bulkImportSink(deps: BulkSinkDeps, base: string): ImportSink {
  const rule = { owners: deps.owners, productsBucket: deps.productsBucket };

  /** Checks a run of item lines and writes those that pass; returns the count written and the refused. */
  const writeItems = async (run: ImportRecord[]): Promise<{ items: number; bad: BadLine[] }> => {
    const bad: BadLine[] = [];
    const refuse = (r: ImportRecord, e: unknown) => {
      if (!refusal(e)) throw e;
      bad.push({ line: r.line, reason: (e as Error).message });
    };
    // The collections must exist (as a POST to /collections/{id}/items requires).
    const collections = new Map<string, unknown>();
    const named: { r: ImportRecord; collection: string; value: Record<string, unknown> }[] = [];
    for (const r of run) {
      const value = r.value as Record<string, unknown>;
      const c = value["collection"];
      if (typeof c !== "string" || c === "") {
        refuse(r, new CatalogueError(400, "InvalidItem", "the item names no collection"));
        continue;
      }
      if (!collections.has(c))
        collections.set(
          c,
          await requireCollection(deps.catalogue, c, deps.access).then(
            () => undefined,
            (e: unknown) => e,
          ),
        );
      const missing = collections.get(c);
      if (missing) refuse(r, missing);
      else named.push({ r, collection: c, value });
    }
    // The records they replace, in one batch read: their `created`, their asset hrefs, their rows.
    const stored = await deps.catalogue.getItems(
      named.map((n) => ({ collection: n.collection, id: String(n.value["id"]) })),
    );
    const now = deps.now();
    // In line order (the later line of an id wins); s3:// hrefs cost a ledger read each, a few at once.
    const checked: ({ r: ImportRecord; item: StacItem; previous: StoredItem | undefined } | undefined)[] =
      new Array(named.length);
    await mapLimited([...named.keys()], CHECK_CONCURRENCY, async (k) => {
      const { r, collection, value } = named[k]!;
      try {
        const previous = stored.get(itemRef(collection, String(value["id"])));
        const item = await validateApiItem(value, { collection, base, existing: previous?.item });
        await requireConfinedHrefs(rule, item, previous?.item);
        const dated = withProductUuid(withRecordDates(item, previous, now));
        checkRecordSize(`item '${item.id.slice(0, 100)}'`, dated);
        checked[k] = { r, item: dated, previous };
      } catch (e) {
        refuse(r, e);
      }
    });
    // An id twice in the chunk: the later line is the item (both are counted, as two PUTs would be).
    const last = new Map<string, { r: ImportRecord; item: StacItem; previous: StoredItem | undefined }>();
    let items = 0;
    for (const c of checked) {
      if (!c) continue;
      items++;
      last.set(itemRef(c.item.collection!, c.item.id), c);
    }
    const digests = new Map<string, CollectionDigest>();
    const puts: { r: ImportRecord; put: ItemPut }[] = [...last.values()].map(({ r, item, previous }) => {
      const version = apiVersion(now);
      const built = buildItemRows(item, version);
      const d = digests.get(item.collection!) ?? new CollectionDigest();
      d.add(built.summary);
      digests.set(item.collection!, d);
      return {
        r,
        put: { item, rows: built.rows, record: built.record, version, source: API_SOURCE, previous },
      };
    });
    for (let i = 0; i < puts.length; i += WRITE_GROUP) {
      const group = puts.slice(i, i + WRITE_GROUP);
      try {
        await withinRecordLimit("a batch", () => deps.writer.putItems(group.map((g) => g.put)));
      } catch (e) {
        if (!refusal(e)) throw e;
        // One record (item and its row keys) too large to store: written one by one to name it.
        for (const g of group) {
          try {
            await withinRecordLimit(`item '${g.put.item.id.slice(0, 100)}'`, () =>
              deps.writer.putItems([g.put]),
            );
          } catch (x) {
            refuse(g.r, x);
            items--;
          }
        }
      }
    }
    for (const [id, d] of digests)
      for (const s of d.summaries()) await deps.catalogue.extendCollection(id, s);
    return { items, bad };
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
      // Collections in order, before the items that follow them; runs of items together.
      let run: ImportRecord[] = [];
      const flushItems = async () => {
        if (run.length === 0) return;
        const written = await writeItems(run);
        run = [];
        items += written.items;
        bad.push(...written.bad);
      };
      for (const r of records) {
        const type = isObject(r.value) ? r.value["type"] : undefined;
        if (type === "Feature") {
          run.push(r);
          continue;
        }
        await flushItems();
        if (type !== "Collection") {
          bad.push({ line: r.line, reason: "neither a STAC Item (Feature) nor a Collection" });
          continue;
        }
        try {
          collections += await writeCollection(r.value as Record<string, unknown>);
        } catch (e) {
          if (!refusal(e)) throw e;
          bad.push({ line: r.line, reason: (e as Error).message });
        }
      }
      await flushItems();
      return { items, collections, bad };
    },
  };
}
