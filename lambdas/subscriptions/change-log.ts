// WIRE POINT for the change log (issue 22): the subscriptions function reads changes through this one
// function. Until the change log's DynamoDB reader is merged, it refuses to run rather than guess.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ChangeLogReader } from "../../shared/storage/changes.ts";

export function changeLogReader(_doc: DynamoDBDocumentClient, _table: string): ChangeLogReader {
  return {
    readChanges() {
      return Promise.reject(
        new Error("the change log reader (issue 22) is not wired: lambdas/subscriptions/change-log.ts"),
      );
    },
  };
}
