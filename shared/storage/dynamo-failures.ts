// DynamoDB store of ingest failure records (partition F): one record per object key that could not be
// indexed, with the reason.
import { DeleteCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { failureKey, failuresPartition } from "../index/keys.ts";
import type { FailureLog, FailureRecord } from "./catalogue.ts";
import { type DynamoTable, isConditionFailure, keyOf } from "./dynamo-table.ts";

export class DynamoFailures implements FailureLog {
  constructor(private readonly db: DynamoTable) {}

  async putFailure(f: FailureRecord): Promise<void> {
    await this.db.doc.send(
      new PutCommand({ TableName: this.db.name, Item: { ...keyOf(failureKey(f.key)), ...f } }),
    );
    this.db.count(undefined);
  }

  async deleteFailure(key: string, time?: string): Promise<void> {
    try {
      await this.db.doc.send(
        new DeleteCommand({
          TableName: this.db.name,
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
    this.db.count(undefined);
  }

  async listFailures(): Promise<FailureRecord[]> {
    return (await this.db.readPartition(failuresPartition)).map((r) => {
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
