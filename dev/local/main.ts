// `npm start`: the whole catalogue on this machine, with sample products on first start.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { jsonLogger } from "../../shared/log.ts";
import { loadLocalConfig, portClashMessage } from "./config.ts";
import { uploadSamples } from "./samples.ts";
import { startLocalStack } from "./stack.ts";

const config = loadLocalConfig(process.env);
const stack = await startLocalStack({ ...config, changes: "catalogue", log: jsonLogger }).catch(
  (err: unknown) => {
    const clash = portClashMessage(err, config);
    if (!clash) throw err;
    console.error(clash);
    process.exit(2);
  },
);
const e = stack.endpoints;
const r = stack.reconciledAtStart;
if (r && r.resynced + r.duplicates > 0)
  console.log(
    `Reconciled the bucket with the index: ${r.missing} objects not yet ingested, ${r.stale} out of date, ` +
      `${r.ghosts} items and ${r.orphanFailures} failure records of deleted objects; ${r.resynced} keys queued.`,
  );

const marker = join(config.dataDir, ".samples-loaded");
if (config.samples && !existsSync(marker)) {
  const keys = await uploadSamples(stack.s3, e.s3.bucket);
  await stack.settled();
  writeFileSync(marker, `${keys.join("\n")}\n`);
  console.log(`Loaded ${keys.length} sample products.`);
}

console.log(`
hexarchive is running locally.

  STAC API       ${e.api}/
  Search         ${e.api}/search?limit=5
  S3 endpoint    ${e.s3.endpoint}   bucket: ${e.s3.bucket}   region: ${e.s3.region}
  S3 credentials access key ${e.s3.accessKeyId}, secret ${e.s3.secretAccessKey}
  DynamoDB       ${e.dynamodb.endpoint}   table: ${e.dynamodb.table}
  Data           ${config.dataDir} (endpoints.json has all of the above)
  Dead letters   ${e.deadLetterFile}
  Sign in        POST ${e.auth.tokenUrl}  (grant_type=password, username=${e.auth.user}, password=${e.auth.password});
                 or HTTP Basic with the same; operator: ${e.auth.operator.user} / ${e.auth.operator.password}
  Statistics     npm run stats

Upload a product, e.g.:
  AWS_ACCESS_KEY_ID=${e.s3.accessKeyId} AWS_SECRET_ACCESS_KEY=${e.s3.secretAccessKey} \\
    aws --endpoint-url ${e.s3.endpoint} s3 cp S2A_MSIL2A_….SAFE.zip s3://${e.s3.bucket}/
Press Ctrl-C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log("Stopping…");
  await stack.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
