// Changes to a stored item that must not outlive its version: a write that names the version it was
// derived from and is refused once the item has moved on (a newer upload, an API write, a deletion);
// logged in the change log as an update of the same version (its content hash changes).
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TransientError } from "../errors.ts";
import { itemKey } from "../index/keys.ts";
import { contentHash } from "../stac/content-hash.ts";
import type { StacItem } from "../stac/types.ts";
import type { IoStats } from "./catalogue.ts";
import { DynamoChangeLog } from "./dynamo-change-log.ts";
import { DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

export class DynamoItemUpdates {
  private readonly db: DynamoTable;
  private readonly log: DynamoChangeLog;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.db = new DynamoTable(doc, tableName);
    this.log = new DynamoChangeLog(this.db);
  }

  /** Requests and capacity this store has used. */
  get stats(): IoStats {
    return this.db.stats;
  }

  /**
   * Replaces the item's JSON while its record still has `version`; false when it does not. Index rows
   * are untouched: only fields they do not summarise (assets) may change this way.
   */
  async replaceItemAtVersion(item: StacItem, version: string): Promise<boolean> {
    const hash = contentHash(item);
    const intent = await this.log.begin({
      collection: item.collection!,
      id: item.id,
      kind: "updated",
      version,
      hash,
    });
    try {
      this.log.checkFresh(intent);
      const out = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(itemKey(item.collection!, item.id)),
          // The chain grows by one here; the next full write trims it.
          UpdateExpression: "SET #item = :item, #h = :h, #chg = list_append(:c, if_not_exists(#chg, :none))",
          ConditionExpression: "#v = :v",
          ExpressionAttributeNames: { "#item": "item", "#v": "v", "#h": "h", "#chg": "chg" },
          ExpressionAttributeValues: {
            ":item": JSON.stringify(item),
            ":v": version,
            ":h": hash,
            ":c": [intent.cursor],
            ":none": [],
          },
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.db.count(out.ConsumedCapacity);
    } catch (err) {
      this.db.count(undefined);
      if (isConditionFailure(err) || err instanceof TransientError) await this.log.abandon(intent);
      if (isConditionFailure(err)) return false;
      throw err;
    }
    await this.log.confirm(intent);
    return true;
  }
}
