// Composition root of the scheduled reconcile function (cdk/constructs/reconcile-job.ts).
import { loadConfig } from "../../shared/config.ts";
import { jsonLogger } from "../../shared/log.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { makeIngestDeps } from "../ingest/deps.ts";
import { makeReconcileHandler } from "./app.ts";

const config = loadConfig(process.env);
const clients = {
  region: config.region,
  s3ForcePathStyle: config.s3ForcePathStyle,
  sdkReads: config.sdkReads,
};
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);
const products = new S3ObjectStore(s3, config.productsBucket);

export const handler = makeReconcileHandler({
  ingest: makeIngestDeps({ doc, s3, table: config.tableName, log: jsonLogger }),
  bucket: config.productsBucket,
  listObjects: () => products.listPages(),
});
