// Wires the ingest domain to DynamoDB and S3; used by the Lambda composition root and the local stack.
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { IngestDeps } from "../../shared/ingest/ingest.ts";
import type { Md5Settings } from "../../shared/ingest/md5-jobs.ts";
import type { ProductMd5Deps } from "../../shared/ingest/product-md5.ts";
import type { Logger } from "../../shared/log.ts";
import { describeCollection } from "../../shared/products/collections.ts";
import { newCollection } from "../../shared/products/new-collection.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoItemUpdates } from "../../shared/storage/dynamo-item-updates.ts";
import { DynamoObjectLedger } from "../../shared/storage/dynamo-object-ledger.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";

export function makeIngestDeps(o: {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  log: Logger;
  /** Absent: no MD5 is computed for products whose ETag is not one. */
  md5?: Md5Settings | undefined;
  /** How long an event owns its object key (shared/ingest/ingest.ts); default: the function's timeout and more. */
  leaseMs?: number | undefined;
}): IngestDeps {
  return {
    md5: o.md5,
    leaseMs: o.leaseMs,
    catalogue: new DynamoCatalogue(o.doc, o.table),
    ledger: new DynamoObjectLedger(o.doc, o.table),
    storeFor: (bucket) => new S3ObjectStore(o.s3, bucket),
    readProduct,
    describeCollection: (id) => newCollection(describeCollection(id)),
    log: o.log,
    now: () => new Date(),
  };
}

/** What an MD5 job needs: the item's stored version, a guarded write, and a streamed read. */
export function makeProductMd5Deps(o: {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  log: Logger;
}): ProductMd5Deps {
  const catalogue = new DynamoCatalogue(o.doc, o.table);
  const updates = new DynamoItemUpdates(o.doc, o.table);
  return {
    getItem: (collection, id) => catalogue.getItem(collection, id),
    replaceItemAtVersion: (item, version) => updates.replaceItemAtVersion(item, version),
    storeFor: (bucket) => new S3ObjectStore(o.s3, bucket),
    log: o.log,
  };
}
