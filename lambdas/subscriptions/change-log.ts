// The change log the subscriptions function reads: the catalogue's own, in DynamoDB (issue 22), with its
// deployed settle and grace periods.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ChangeLogReader } from "../../shared/storage/changes.ts";
import { DynamoChangeLog } from "../../shared/storage/dynamo-change-log.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";

export function changeLogReader(doc: DynamoDBDocumentClient, table: string): ChangeLogReader {
  return new DynamoChangeLog(new DynamoTable(doc, table));
}
