// Changes to a stored item that must not outlive its version: a write that names the version it was
// derived from and is refused once the item has moved on (a newer upload, an API write, a deletion).
import { type DynamoDBDocumentClient, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { itemKey } from "../index/keys.ts";
import type { StacItem } from "../stac/types.ts";
import type { IoStats } from "./catalogue.ts";
import { DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

export class DynamoItemUpdates {
  private readonly db: DynamoTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string) {
    this.db = new DynamoTable(doc, tableName);
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
    try {
      const out = await this.db.doc.send(
        new UpdateCommand({
          TableName: this.db.name,
          Key: keyOf(itemKey(item.collection!, item.id)),
          UpdateExpression: "SET #item = :item",
          ConditionExpression: "#v = :v",
          ExpressionAttributeNames: { "#item": "item", "#v": "v" },
          ExpressionAttributeValues: { ":item": JSON.stringify(item), ":v": version },
          ReturnConsumedCapacity: "TOTAL",
        }),
      );
      this.db.count(out.ConsumedCapacity);
      return true;
    } catch (err) {
      this.db.count(undefined);
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }
}
