// `npm run reconcile`: compares the products bucket with the index and repairs both (see
// shared/ingest/reconcile.ts), applying the resyncs in this process; prints what it found. The local
// catalogue (a running `npm start`) by default; `--table NAME --bucket NAME [--region R]` a deployed one
// with the default AWS credentials. `--dry-run` only counts.
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { makeIngestDeps } from "../../lambdas/ingest/deps.ts";
import { applyResyncs } from "../../shared/ingest/apply-resyncs.ts";
import { reconcile } from "../../shared/ingest/reconcile.ts";
import { silentLogger } from "../../shared/log.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { localCredentials } from "./emulators.ts";
import { runningEndpoints } from "./running.ts";

const { values: args } = parseArgs({
  options: {
    table: { type: "string" },
    bucket: { type: "string" },
    region: { type: "string" },
    "dry-run": { type: "boolean" },
  },
});

function clients() {
  if (args.table || args.bucket) {
    if (!args.table || !args.bucket) {
      console.error("Give both --table and --bucket for a deployed catalogue.");
      process.exit(2);
    }
    const region = args.region ? { region: args.region } : {};
    return {
      doc: DynamoDBDocumentClient.from(new DynamoDBClient(region), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      s3: makeS3Client({ region: args.region ?? process.env["AWS_REGION"] ?? "us-east-1" }),
      table: args.table,
      bucket: args.bucket,
    };
  }
  const e = runningEndpoints("give --table/--bucket");
  const local = { region: e.s3.region, credentials: localCredentials() };
  return {
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: e.dynamodb.endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    s3: makeS3Client({ ...local, s3Endpoint: e.s3.endpoint, s3ForcePathStyle: true }),
    table: e.dynamodb.table,
    bucket: e.s3.bucket,
  };
}

const c = clients();
const ingest = makeIngestDeps({ doc: c.doc, s3: c.s3, table: c.table, log: silentLogger });
const products = new S3ObjectStore(c.s3, c.bucket);
try {
  const t0 = performance.now();
  const r = await reconcile(
    {
      catalogue: ingest.catalogue,
      ledger: ingest.ledger,
      listObjects: () => products.listPages(),
      resync: applyResyncs(ingest, c.bucket),
      log: silentLogger,
      now: () => new Date(),
    },
    { dryRun: args["dry-run"] ?? false },
  );
  console.log(
    `${r.objects} objects, ${r.items} items, ${r.failures} failure records in ${c.bucket} / ${c.table}`,
  );
  console.log(`  not yet ingested      ${r.missing}`);
  console.log(`  out of date           ${r.stale}`);
  console.log(`  items of gone objects ${r.ghosts}`);
  console.log(`  failures of gone ones ${r.orphanFailures}`);
  console.log(`  leftover items        ${r.duplicates}${args["dry-run"] ? "" : " (deleted)"}`);
  console.log(`  being ingested        ${r.inProgress} (left alone)`);
  console.log(
    `${args["dry-run"] ? "would resync" : "resynced"} ${r.resynced} keys` +
      `${r.deferred ? `, ${r.deferred} left for the next run` : ""} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
} catch (e) {
  console.error(`Cannot reconcile: ${String(e)}`);
  process.exit(2);
}
