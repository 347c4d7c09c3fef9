// Composition root of the scheduled lifecycle function (cdk/constructs/lifecycle-jobs.ts).
import { LambdaEventInvoker } from "../../shared/aws/lambda-event.ts";
import { loadConfig } from "../../shared/config.ts";
import { LIFECYCLE_INPUT_KEYS } from "../../shared/lifecycle/inputs.ts";
import { jsonLogger } from "../../shared/log.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { makeLifecycleHandler } from "./app.ts";
import { makeLifecycleDeps } from "./deps.ts";

const config = loadConfig(process.env);
const clients = {
  region: config.region,
  s3ForcePathStyle: config.s3ForcePathStyle,
  sdkReads: config.sdkReads,
};
const doc = makeDocumentClient(clients);
const s3 = makeS3Client(clients);
const inputs = config.lifecycleBucket ? new S3ObjectStore(s3, config.lifecycleBucket) : undefined;

export const handler = makeLifecycleHandler({
  jobs: makeLifecycleDeps({
    doc,
    s3,
    table: config.tableName,
    productsBucket: config.productsBucket,
    log: jsonLogger,
  }),
  async readInput(key) {
    if (!inputs || !(await inputs.head(key))) return undefined;
    return Buffer.from(await inputs.getObject(key)).toString("utf8");
  },
  deletionsKey: config.deletionsKey ?? LIFECYCLE_INPUT_KEYS.deletions,
  retentionKey: config.retentionKey ?? LIFECYCLE_INPUT_KEYS.retention,
  continueWith: (functionName, event) =>
    new LambdaEventInvoker({
      functionName,
      region: config.region,
      credentials: s3.config.credentials,
    }).invoke(event, "the snapshot refresh's next invocation"),
});
