// Wires the ingest domain to DynamoDB and S3; used by the Lambda composition root and the local stack.
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { IngestDeps } from "../../shared/ingest/ingest.ts";
import type { Logger } from "../../shared/log.ts";
import { describeCollection } from "../../shared/products/collections.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { newCollection } from "../../shared/stac/new-collection.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";

export function makeIngestDeps(o: {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  log: Logger;
}): IngestDeps {
  return {
    catalogue: new DynamoCatalogue(o.doc, o.table),
    storeFor: (bucket) => new S3ObjectStore(o.s3, bucket),
    readProduct,
    describeCollection: (id) => newCollection(describeCollection(id)),
    log: o.log,
    now: () => new Date(),
  };
}
