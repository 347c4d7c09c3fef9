// Wires the lifecycle use cases (deletions, upstream sync, retention) to DynamoDB and S3; used by the
// scheduled function and by the local commands (dev/local/lifecycle-*.ts).
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { S3PartUploads } from "../../shared/jobs/multipart.ts";
import type { RetentionDeps } from "../../shared/lifecycle/retention.ts";
import type { SyncDeps } from "../../shared/lifecycle/sync-deletions.ts";
import type { Logger } from "../../shared/log.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoObjectLedger } from "../../shared/storage/dynamo-object-ledger.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";

export type LifecycleJobDeps = RetentionDeps &
  SyncDeps & {
    catalogue: DynamoCatalogue;
    objects: S3ObjectStore;
    ledger: DynamoObjectLedger;
    /** Multipart uploads to the products bucket (a snapshot month is written in parts). */
    uploads: S3PartUploads;
  };

export function makeLifecycleDeps(o: {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  productsBucket: string;
  log: Logger;
}): LifecycleJobDeps {
  const catalogue = new DynamoCatalogue(o.doc, o.table);
  return {
    catalogue,
    rows: catalogue,
    tombstones: catalogue.tombstoneStore,
    ledger: new DynamoObjectLedger(o.doc, o.table),
    objects: new S3ObjectStore(o.s3, o.productsBucket),
    uploads: new S3PartUploads(o.s3, o.productsBucket),
    now: () => new Date(),
    log: o.log,
  };
}
