// Composition root of the API function.
import { authFromConfig } from "../../shared/auth/compose.ts";
import { loadConfig } from "../../shared/config.ts";
import { S3DownloadCache } from "../../shared/download/download-cache.ts";
import { DynamoLeaseStore } from "../../shared/download/leases.ts";
import { jsonLogger } from "../../shared/log.ts";
import { DynamoStatsStore } from "../../shared/stats/ledger.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { S3Presigner } from "../../shared/storage/s3-presigner.ts";
import { makeApiHandler } from "./app.ts";

const config = loadConfig(process.env);
const clients = { region: config.region, s3ForcePathStyle: config.s3ForcePathStyle };
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);

export const handler = makeApiHandler({
  catalogue: new DynamoCatalogue(doc, config.tableName),
  presigner: new S3Presigner(s3),
  log: jsonLogger,
  settings: { presignSeconds: config.presignSeconds, publicUrl: config.publicUrl },
  auth: authFromConfig(config),
  downloads: config.cacheBucket
    ? {
        objects: (bucket) => new S3ObjectStore(s3, bucket),
        cache: new S3DownloadCache(s3, config.cacheBucket),
        leases: new DynamoLeaseStore(doc, config.tableName),
        stats: new DynamoStatsStore(doc, config.tableName),
        settings: { concurrentLimit: config.downloadLimit, inlineMaxBytes: config.inlineMaxBytes },
      }
    : undefined,
});
