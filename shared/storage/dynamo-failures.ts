// DynamoDB store of ingest failure records (partition F): one record per object key that could not be
// indexed, with the reason; part of the Catalogue port through DynamoCatalogue.
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { failureKey, failuresPartition } from "../index/keys.ts";
import type { FailureRecord } from "./catalogue.ts";
import { DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

export class DynamoFailures extends DynamoTable {
  async putFailure(f: FailureRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.table, Item: { ...keyOf(failureKey(f.key)), ...f } }),
    );
    this.count(undefined);
  }

  async deleteFailure(key: string, time?: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: keyOf(failureKey(key)),
          ...(time === undefined
            ? {}
            : {
                ConditionExpression: "#time = :time",
                ExpressionAttributeNames: { "#time": "time" },
                ExpressionAttributeValues: { ":time": time },
              }),
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
    this.count(undefined);
  }

  async listFailures(): Promise<FailureRecord[]> {
    return (await this.readPartition(failuresPartition)).map((r) => {
      const f: FailureRecord = {
        key: r["key"] as string,
        reason: r["reason"] as string,
        time: r["time"] as string,
        code: r["code"] as string,
      };
      if (r["etag"]) f.etag = r["etag"] as string;
      return f;
    });
  }
}
