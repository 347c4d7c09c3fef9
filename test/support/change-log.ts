// The change log as subscription tests read it: the catalogue's own DynamoDB log over the test table
// (its writes log themselves), with short settle and grace periods so a test need not wait seconds.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { ChangeLogReader } from "../../shared/storage/changes.ts";
import { type ChangeLogTiming, DynamoChangeLog } from "../../shared/storage/dynamo-change-log.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";

/** Settle 150 ms, grace 1 s: what a test app's catalogue is started with (startTestApp's `changeTiming`). */
export const TEST_CHANGE_TIMING: ChangeLogTiming = { settleMs: 150, graceMs: 1_000, writeDeadlineMs: 800 };

export function testChangeLog(t: { doc: DynamoDBDocumentClient; table: string }): ChangeLogReader {
  return new DynamoChangeLog(new DynamoTable(t.doc, t.table), TEST_CHANGE_TIMING);
}

/** Waits until every change written so far is past the settle window, so a reader sees it. */
export const settled = () => new Promise((w) => setTimeout(w, TEST_CHANGE_TIMING.settleMs + 50));
