// Index rows in DynamoDB: how a row is stored (its keys, a JSON summary of its item and the start and
// end DynamoDB filters on) and the one Query a search reads them with.
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { PK, SK } from "../index/keys.ts";
import type { IndexRow, ItemSummary } from "../index/rows.ts";
import type { RowPage, RowQuery, RowReader } from "./catalogue.ts";
import { type DynamoTable, keyOf } from "./dynamo-table.ts";

export class DynamoRows implements RowReader {
  constructor(private readonly db: DynamoTable) {}

  async queryRows(q: RowQuery): Promise<RowPage> {
    const names: Record<string, string> = { "#pk": PK, "#sk": SK };
    const values: Record<string, unknown> = { ":pk": q.pk };
    let cond = "#pk = :pk";
    if (q.range) {
      cond += " AND #sk BETWEEN :lo AND :hi";
      values[":lo"] = q.range[0];
      values[":hi"] = q.range[1];
    } else if (q.prefix !== undefined && q.prefix !== "") {
      cond += " AND begins_with(#sk, :prefix)";
      values[":prefix"] = q.prefix;
    }
    let filter: string | undefined;
    if (q.overlaps) {
      filter = "#s <= :to AND #e >= :from";
      names["#s"] = "s";
      names["#e"] = "e";
      values[":from"] = q.overlaps.from;
      values[":to"] = q.overlaps.to;
    }
    const out = await this.db.doc.send(
      new QueryCommand({
        TableName: this.db.name,
        KeyConditionExpression: cond,
        FilterExpression: filter,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: !q.descending,
        Limit: q.pageSize,
        ExclusiveStartKey: q.startKey,
        ReturnConsumedCapacity: "TOTAL",
      }),
    );
    const capacity = this.db.count(out.ConsumedCapacity);
    const rows: IndexRow[] = (out.Items ?? []).map((r) => ({
      pk: r[PK] as string,
      sk: r[SK] as string,
      summary: JSON.parse(r["j"] as string) as ItemSummary,
    }));
    const page: RowPage = { rows, scanned: out.ScannedCount ?? rows.length, capacity };
    if (out.LastEvaluatedKey) page.next = out.LastEvaluatedKey;
    return page;
  }
}

/** An item's rows share its summary object: serialise it once per item, not once per row. */
const summaryJson = new WeakMap<IndexRow["summary"], string>();

export function rowAttributes(r: IndexRow): Record<string, unknown> {
  let j = summaryJson.get(r.summary);
  if (j === undefined) {
    j = JSON.stringify(r.summary);
    summaryJson.set(r.summary, j);
  }
  return { ...keyOf(r), j, s: r.summary.start, e: r.summary.end };
}
