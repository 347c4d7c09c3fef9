// Composition root of the API function (which also runs background member extractions).
import { fileURLToPath } from "node:url";
import { folderUiAssets, UI_FOLDER } from "../../shared/api/ui-assets.ts";
import { authFromConfig } from "../../shared/auth/compose.ts";
import { derivedKey } from "../../shared/auth/signing-key.ts";
import { LambdaEventInvoker } from "../../shared/aws/lambda-event.ts";
import { readSecretString } from "../../shared/aws/secrets.ts";
import { ENV_NAMES, loadConfig } from "../../shared/config.ts";
import { extractMember } from "../../shared/download/extraction.ts";
import { LambdaInvokeExtractor } from "../../shared/download/lambda-invoke-extractor.ts";
import { parseImportSources } from "../../shared/jobs/import-source.ts";
import { LambdaJobStarter } from "../../shared/jobs/starters.ts";
import { jsonLogger } from "../../shared/log.ts";
import { processKey, signedPagingTokens } from "../../shared/search/paging-tokens.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { makeApiHandler, withExtractJobs } from "./app.ts";
import { makeApiDeps, makeExtractionDeps } from "./deps.ts";

const config = loadConfig(process.env);
const clients = {
  region: config.region,
  s3ForcePathStyle: config.s3ForcePathStyle,
  sdkReads: config.sdkReads,
};
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);

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
  ...makeApiDeps({
    doc,
    s3,
    table: config.tableName,
    log: jsonLogger,
    settings: {
      presignSeconds: config.presignSeconds,
      refreshLinkSeconds: config.refreshLinkSeconds,
      publicUrl: config.publicUrl,
      productsBucket: config.productsBucket,
    },
    tokens: signedPagingTokens(tokenKey),
    auth: authFromConfig({ ...config, signingKey }),
    downloads: config.cacheBucket
      ? {
          cacheBucket: config.cacheBucket,
          settings: {
            concurrentLimit: config.downloadLimit,
            leaseBytesPerSecond: config.downloadLeaseBytesPerSecond,
            inlineMaxBytes: config.inlineMaxBytes,
            syncExtractMaxBytes: config.syncExtractMaxBytes,
          },
          extractor: config.extractFunction
            ? new LambdaInvokeExtractor({
                functionName: config.extractFunction,
                region: config.region,
                credentials: s3.config.credentials,
              })
            : undefined,
        }
      : undefined,
    // Deployed webhooks go to public HTTPS receivers only.
    subscriptions: {
      maxPerUser: config.subscriptionsPerUser,
      webhooks: { allowLoopback: false },
      relayBuckets: config.relayBuckets,
    },
    // Exports and imports run in the jobs function (lambdas/jobs/), started by an asynchronous invocation.
    jobs: config.jobsFunction
      ? {
          starter: new LambdaJobStarter(
            new LambdaEventInvoker({
              functionName: config.jobsFunction,
              region: config.region,
              credentials: s3.config.credentials,
            }),
          ),
          importSources: parseImportSources(config.importSources),
        }
      : undefined,
  }),
  // Built beside the bundle by the CDK app; absent (a bundle built by hand): `/` is always the JSON.
  ui: folderUiAssets(fileURLToPath(new URL(`./${UI_FOLDER}/`, import.meta.url)), {
    tiles: config.basemapTiles,
  }),
});

const cacheBucket = config.cacheBucket;
const extraction = cacheBucket
  ? makeExtractionDeps({ s3, cacheBucket, log: jsonLogger, copyStoredMembers: config.copyStoredMembers })
  : undefined;

export const handler = withExtractJobs(api, async (job) => {
  if (!extraction) throw new Error("extraction job received without HEXARCHIVE_CACHE_BUCKET");
  return extractMember(extraction, job);
});
