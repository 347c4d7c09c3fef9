// Many item writes at once (a chunk of an import job): what DynamoItems.putItem does for one item —
// collection levels, row counts and tile footprints first, then rows, a change-log intent, the record
// with its change chain, the confirmation and the stale rows of the version it replaces — in batch
// requests for all of them. Logged like any other write, so that mirrors, subscriptions and snapshot
// refreshes see the items.
//
// Not conditional (BatchWriteItem has no conditions): the caller reads the records it replaces
// (`previous`). A writer of the same item between that read and this write loses its version; its
// change stays logged, its rows are ignored by their version stamp (counted until a recount).
import { TransientError } from "../errors.ts";
import type { Key } from "../index/keys.ts";
import type { IndexRow } from "../index/rows.ts";
import { contentHash } from "../stac/content-hash.ts";
import type { StoredItem } from "./catalogue.ts";
import { type ChangeIntent, type DynamoChangeLog, nextChain } from "./dynamo-change-log.ts";
import { type RowBookkeeping, recordAttributes } from "./dynamo-items.ts";
import { rowAttributes } from "./dynamo-rows.ts";
import { type DynamoTable, keyOf, sameKey } from "./dynamo-table.ts";

/** One item to write, with the stored record it replaces (none: a new item). */
export interface ItemPut {
  item: StoredItem["item"];
  rows: IndexRow[];
  record: Key;
  version: string;
  source?: string;
  previous?: StoredItem | undefined;
}

/** Attempts at logging an intent that is still fresh when its record is written (as putItem's). */
const FRESH_ATTEMPTS = 3;

export class DynamoItemBatches {
  constructor(
    private readonly db: DynamoTable,
    private readonly index: RowBookkeeping,
    private readonly log: DynamoChangeLog,
  ) {}

  /** Writes these items (one put per item: the caller keeps the last of an id). */
  async putItems(puts: ItemPut[]): Promise<void> {
    if (puts.length === 0) return;
    const byCollection = new Map<string, IndexRow[]>();
    for (const p of puts) {
      const c = p.item.collection!;
      const list = byCollection.get(c) ?? [];
      for (const r of p.rows) list.push(r);
      byCollection.set(c, list);
    }
    // One update per collection level, base cell and tile for the whole batch, before any row is written.
    for (const [c, rows] of byCollection)
      await Promise.all([
        this.index.collections.recordLevels(c, rows),
        this.index.rowCounts.countRows(c, rows),
        this.index.tiles.registerTiles(c, rows),
      ]);
    await this.db.batchWrite(
      puts.flatMap((p) => p.rows.map((r) => ({ PutRequest: { Item: rowAttributes(r) } }))),
    );
    const hashes = puts.map((p) => contentHash(p.item));
    const intents = await this.freshIntents(puts, hashes);
    const records = puts.map((p, k) => {
      const stored = recordAttributes(
        p.item,
        p.record,
        p.version,
        p.rows.map((r) => ({ pk: r.pk, sk: r.sk })),
      );
      if (p.source !== undefined) stored["src"] = p.source;
      stored["h"] = hashes[k];
      stored["chg"] = nextChain(intents[k]!.cursor, p.previous?.changes);
      return { PutRequest: { Item: stored } };
    });
    try {
      await this.db.batchWrite(records);
    } catch (err) {
      await Promise.all(intents.map((i) => this.log.abandon(i)));
      throw err;
    }
    await this.log.confirmAll(intents);
    const stale = puts.flatMap((p) =>
      (p.previous?.rowKeys ?? []).filter((k) => !p.rows.some((r) => sameKey(r, k))),
    );
    await this.db.batchWrite(stale.map((k) => ({ DeleteRequest: { Key: keyOf(k) } })));
  }

  /** Intents for every put, each young enough to write its record after (putItem's beginFresh, batched). */
  private async freshIntents(puts: ItemPut[], hashes: string[]): Promise<ChangeIntent[]> {
    const intent = (k: number) => {
      const p = puts[k]!;
      return {
        collection: p.item.collection!,
        id: p.item.id,
        kind: p.previous ? ("updated" as const) : ("created" as const),
        version: p.version,
        hash: hashes[k],
        after: p.previous?.changes?.[0],
      };
    };
    const intents = await this.log.beginAll(puts.map((_, k) => intent(k)));
    for (let attempt = 1; ; attempt++) {
      const old = intents.flatMap((i, k) => (isFresh(this.log, i) ? [] : [k]));
      if (old.length === 0) return intents;
      await Promise.all(old.map((k) => this.log.abandon(intents[k]!)));
      if (attempt >= FRESH_ATTEMPTS)
        throw new TransientError(`${old.length} item(s) took too long to write; retrying`);
      const again = await this.log.beginAll(old.map((k) => intent(k)));
      old.forEach((k, j) => {
        intents[k] = again[j]!;
      });
    }
  }
}

function isFresh(log: DynamoChangeLog, i: ChangeIntent): boolean {
  try {
    log.checkFresh(i);
    return true;
  } catch {
    return false;
  }
}
