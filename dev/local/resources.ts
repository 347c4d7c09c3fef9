// Creates the table and bucket on the emulators from the same definitions the CDK app deploys.
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { CATALOGUE_TABLE, type KeyAttribute } from "../../shared/index/table.ts";

/**
 * The table, ACTIVE: created if missing, then waited for (the emulator answers a table still CREATING
 * with ResourceNotFoundException, as DynamoDB does, so a write straight after CreateTable could fail).
 */
export async function ensureTable(db: DynamoDBClient, name: string): Promise<void> {
  await createTable(db, name);
  await waitUntilTableExists({ client: db, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: name });
}

async function createTable(db: DynamoDBClient, name: string): Promise<void> {
  try {
    await db.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const t = CATALOGUE_TABLE;
  const attrs = new Map<string, KeyAttribute>();
  for (const k of [
    t.partitionKey,
    t.sortKey,
    ...t.globalSecondaryIndexes.flatMap((g) => [g.partitionKey, g.sortKey]),
  ])
    if (k) attrs.set(k.name, k);
  await db.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [...attrs.values()].map((a) => ({
        AttributeName: a.name,
        AttributeType: a.type,
      })),
      KeySchema: [
        { AttributeName: t.partitionKey.name, KeyType: "HASH" },
        { AttributeName: t.sortKey.name, KeyType: "RANGE" },
      ],
      ...(t.globalSecondaryIndexes.length > 0
        ? {
            GlobalSecondaryIndexes: t.globalSecondaryIndexes.map((g) => ({
              IndexName: g.indexName,
              KeySchema: [
                { AttributeName: g.partitionKey.name, KeyType: "HASH" as const },
                ...(g.sortKey ? [{ AttributeName: g.sortKey.name, KeyType: "RANGE" as const }] : []),
              ],
              Projection: { ProjectionType: "ALL" as const },
            })),
          }
        : {}),
    }),
  );
}

export async function ensureBucket(s3: S3Client, name: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  } catch {
    // HEAD can fail for other reasons than a missing bucket (s3rver answering a burst of requests
    // at start, after a kill): a bucket that exists is what was wanted.
    await s3.send(new CreateBucketCommand({ Bucket: name })).catch((err: { name?: string }) => {
      if (err.name !== "BucketAlreadyExists" && err.name !== "BucketAlreadyOwnedByYou") throw err;
    });
  }
}
