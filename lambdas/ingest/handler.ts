// Composition root of the ingest function, and of the MD5 function that runs the same bundle.
import { loadConfig } from "../../shared/config.ts";
import { LambdaMd5Jobs } from "../../shared/ingest/lambda-md5-jobs.ts";
import { completeProductMd5 } from "../../shared/ingest/product-md5.ts";
import { jsonLogger } from "../../shared/log.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { makeIngestHandler, withMd5Jobs } from "./app.ts";
import { makeIngestDeps, makeProductMd5Deps } from "./deps.ts";

const config = loadConfig(process.env);
const clients = {
  region: config.region,
  s3ForcePathStyle: config.s3ForcePathStyle,
  sdkReads: config.sdkReads,
};
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);
const stores = { doc, s3, table: config.tableName, log: jsonLogger };
const md5Deps = makeProductMd5Deps(stores);

const md5Jobs =
  config.md5Function && config.md5MaxBytes > 0
    ? new LambdaMd5Jobs({
        functionName: config.md5Function,
        region: config.region,
        credentials: s3.config.credentials,
      })
    : undefined;

export const handler = withMd5Jobs(
  makeIngestHandler(
    makeIngestDeps({ ...stores, md5: md5Jobs && { maxBytes: config.md5MaxBytes, jobs: md5Jobs } }),
  ),
  (job) => completeProductMd5(md5Deps, job),
);
