// Composition root of the API function (which also runs background member extractions).
import { authFromConfig } from "../../shared/auth/compose.ts";
import { derivedKey } from "../../shared/auth/signing-key.ts";
import { readSecretString } from "../../shared/aws/secrets.ts";
import { ENV_NAMES, loadConfig } from "../../shared/config.ts";
import { S3DownloadCache } from "../../shared/download/download-cache.ts";
import { extractMember } from "../../shared/download/extraction.ts";
import { S3ExtractionMarkers } from "../../shared/download/extraction-markers.ts";
import { LambdaInvokeExtractor } from "../../shared/download/lambda-invoke-extractor.ts";
import { DynamoLeaseStore } from "../../shared/download/leases.ts";
import { S3PartCopier } from "../../shared/download/stored-member-copier.ts";
import { jsonLogger } from "../../shared/log.ts";
import { processKey, signedPagingTokens } from "../../shared/search/paging-tokens.ts";
import { DynamoStatsStore } from "../../shared/stats/ledger.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoObjectLedger } from "../../shared/storage/dynamo-object-ledger.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { S3Presigner } from "../../shared/storage/s3-presigner.ts";
import { makeApiHandler, withExtractJobs } from "./app.ts";

const config = loadConfig(process.env);
const clients = { region: config.region, s3ForcePathStyle: config.s3ForcePathStyle };
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);
const objects = (bucket: string) => new S3ObjectStore(s3, bucket);
const cache = config.cacheBucket ? new S3DownloadCache(s3, config.cacheBucket) : undefined;
const markers = config.cacheBucket ? new S3ExtractionMarkers(s3, config.cacheBucket) : undefined;

// One generated secret per stack keys the paging tokens and the signed links (a key derived for each),
// read once at cold start so that it never sits in the function's configuration. Without it (a
// deployment composed by hand), tokens are signed with this instance's key and links are not signed
// unless HEXARCHIVE_SIGNING_KEY gives a key.
const stackSecret = config.tokenSecret
  ? await readSecretString({
      secretId: config.tokenSecret,
      region: config.region,
      credentials: s3.config.credentials,
    })
  : undefined;
if (!stackSecret)
  jsonLogger.warn(`${ENV_NAMES.tokenSecret} is not set: paging tokens are signed with this instance's key`);
const pagingKey = stackSecret ? derivedKey(stackSecret, "paging-tokens") : undefined;
const tokenKey = pagingKey ? async () => pagingKey : processKey();
const signingKey =
  config.signingKey ?? (stackSecret ? derivedKey(stackSecret, "signed-links").toString("hex") : undefined);

const api = makeApiHandler({
  tokens: signedPagingTokens(tokenKey),
  catalogue: new DynamoCatalogue(doc, config.tableName),
  owners: new DynamoObjectLedger(doc, config.tableName),
  presigner: new S3Presigner(s3),
  log: jsonLogger,
  settings: {
    presignSeconds: config.presignSeconds,
    publicUrl: config.publicUrl,
    productsBucket: config.productsBucket,
  },
  auth: authFromConfig({ ...config, signingKey }),
  downloads:
    cache && markers
      ? {
          objects,
          cache,
          leases: new DynamoLeaseStore(doc, config.tableName),
          stats: new DynamoStatsStore(doc, config.tableName),
          settings: {
            concurrentLimit: config.downloadLimit,
            leaseBytesPerSecond: config.downloadLeaseBytesPerSecond,
            inlineMaxBytes: config.inlineMaxBytes,
            syncExtractMaxBytes: config.syncExtractMaxBytes,
          },
          extraction: config.extractFunction
            ? {
                markers,
                extractor: new LambdaInvokeExtractor({
                  functionName: config.extractFunction,
                  region: config.region,
                  credentials: s3.config.credentials,
                }),
              }
            : undefined,
        }
      : undefined,
});

export const handler = withExtractJobs(api, async (job) => {
  if (!cache || !markers) throw new Error("extraction job received without HEXARCHIVE_CACHE_BUCKET");
  return extractMember(
    {
      objects,
      cache,
      markers,
      copier:
        config.copyStoredMembers && config.cacheBucket ? new S3PartCopier(s3, config.cacheBucket) : undefined,
      log: jsonLogger,
    },
    job,
  );
});
