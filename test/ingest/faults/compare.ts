// The fault harness's judge: the bucket read back and classified by its own bytes (a product with its
// id and version, or garbage and poison), then checked against the item records and the failures list
// read straight from the table, not through the code under test.
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

export const FAULT_COLLECTION = "faults";

export interface FaultCounts {
  /** Products with neither an item for their id nor a failure record. */
  lost: number;
  /** Items an object wrote for an id it no longer describes, next to the item of its current id. */
  duplicated: number;
  /** Items of older bytes than their object's, items of objects that are now garbage, failures of products. */
  stale: number;
  /** Items and failure records whose object is gone. */
  ghost: number;
  poisonWithoutFailure: number;
}

type Truth = { kind: "product"; id: string; version: number } | { kind: "failure" };

/** The bucket read back and classified by its own bytes, then checked against items and failures. */
export async function compare(s3: S3Client, doc: DynamoDBDocumentClient, bucket: string) {
  const truth = new Map<string, Truth>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    await Promise.all(
      (page.Contents ?? []).map(async (c) => {
        const body = await (
          await s3.send(new GetObjectCommand({ Bucket: bucket, Key: c.Key! }))
        ).Body!.transformToString();
        let parsed: { id?: string; properties?: Record<string, unknown> } | undefined;
        try {
          parsed = JSON.parse(body);
        } catch {}
        const p = parsed?.properties;
        truth.set(
          c.Key!,
          parsed && p?.["fault:kind"] === "product"
            ? { kind: "product", id: parsed.id!, version: p["fault:version"] as number }
            : { kind: "failure" },
        );
      }),
    );
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const items = new Map<string, { src: string | undefined; version: number }>();
  for (const raw of await queryAll(doc, `I#${FAULT_COLLECTION}`)) {
    const item = JSON.parse(raw["item"] as string) as { id: string; properties: Record<string, unknown> };
    items.set(item.id, {
      src: raw["src"] as string | undefined,
      version: item.properties["fault:version"] as number,
    });
  }
  const failures = new Set((await queryAll(doc, "F")).map((r) => r["sk"] as string));

  const counts: FaultCounts = { lost: 0, duplicated: 0, stale: 0, ghost: 0, poisonWithoutFailure: 0 };
  let products = 0;
  let poison = 0;
  for (const [key, t] of truth) {
    if (t.kind === "failure") {
      poison++;
      if (!failures.has(key)) counts.poisonWithoutFailure++;
      continue;
    }
    products++;
    const item = items.get(t.id);
    if (!item) {
      if (!failures.has(key)) counts.lost++;
      continue;
    }
    // The item may come from another key describing the same id; its content must be that key's.
    if (item.src !== key) {
      const owner = item.src === undefined ? undefined : truth.get(item.src);
      if (owner?.kind !== "product" || owner.id !== t.id) counts.lost++;
    }
    if (failures.has(key)) counts.stale++;
  }
  for (const [id, item] of items) {
    const owner = item.src === undefined ? undefined : truth.get(item.src);
    if (!owner) counts.ghost++;
    else if (owner.kind !== "product") counts.stale++;
    else if (owner.id !== id) {
      // The owner now describes another id: a second item of one object, or an old one left behind.
      if (items.get(owner.id)?.src === item.src) counts.duplicated++;
      else counts.stale++;
    } else if (owner.version !== item.version) counts.stale++;
  }
  for (const key of failures) if (!truth.has(key)) counts.ghost++;
  return { counts, objects: truth.size, products, poison, items: items.size, failures: failures.size };
}

async function queryAll(doc: DynamoDBDocumentClient, pk: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new QueryCommand({
        TableName: "hexarchive-catalogue",
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": pk },
        ExclusiveStartKey: start,
      }),
    );
    all.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return all;
}
