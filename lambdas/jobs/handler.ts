// Composition root of the jobs function: search exports and NDJSON imports, chunked across invocations.
import { derivedKey } from "../../shared/auth/signing-key.ts";
import { LambdaEventInvoker } from "../../shared/aws/lambda-event.ts";
import { readSecretString } from "../../shared/aws/secrets.ts";
import { loadConfig } from "../../shared/config.ts";
import { LambdaJobStarter } from "../../shared/jobs/starters.ts";
import { jsonLogger } from "../../shared/log.ts";
import { signedPagingTokens } from "../../shared/search/paging-tokens.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { makeJobsHandler } from "./app.ts";
import { makeJobRunnerDeps } from "./deps.ts";

const config = loadConfig(process.env);
const clients = {
  region: config.region,
  s3ForcePathStyle: config.s3ForcePathStyle,
  sdkReads: config.sdkReads,
};
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);
if (!config.jobsBucket) throw new Error("the jobs function needs HEXARCHIVE_JOBS_BUCKET");
if (!config.tokenSecret) throw new Error("the jobs function needs HEXARCHIVE_TOKEN_SECRET");
// An export's checkpoint is a paging token: signed with the API's key, so that every invocation opens it.
const secret = await readSecretString({
  secretId: config.tokenSecret,
  region: config.region,
  credentials: s3.config.credentials,
});
const pagingKey = derivedKey(secret, "paging-tokens");
const tokens = signedPagingTokens(async () => pagingKey);
const jobsBucket = config.jobsBucket;

export const handler = makeJobsHandler(
  (starter) =>
    makeJobRunnerDeps({
      doc,
      s3,
      table: config.tableName,
      jobsBucket,
      productsBucket: config.productsBucket,
      tokens,
      log: jsonLogger,
      starter,
    }),
  (functionName) =>
    new LambdaJobStarter(
      new LambdaEventInvoker({ functionName, region: config.region, credentials: s3.config.credentials }),
    ),
);
