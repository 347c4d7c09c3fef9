// `npm run snapshots`: brings the collections' monthly stac-geoparquet snapshots up to date with the
// change log (shared/export/snapshots.ts): the local catalogue by default; `--table NAME --bucket NAME
// [--region R]` a deployed one with the default AWS credentials. `--full` rebuilds every month.
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { refreshSnapshots, type SnapshotDeps } from "../../shared/export/snapshots.ts";
import { S3PartUploads } from "../../shared/jobs/multipart.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { localCredentials } from "./emulators.ts";
import { runningEndpoints } from "./running.ts";

const { values: args } = parseArgs({
  options: {
    table: { type: "string" },
    bucket: { type: "string" },
    region: { type: "string" },
    full: { type: "boolean" },
    json: { type: "boolean" },
  },
});

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

function deps(): SnapshotDeps {
  const make = (db: DynamoDBClient, s3: ReturnType<typeof makeS3Client>, table: string, bucket: string) => {
    const doc = DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } });
    const catalogue = new DynamoCatalogue(doc, table);
    return {
      catalogue,
      changes: catalogue,
      objects: new S3ObjectStore(s3, bucket),
      uploads: new S3PartUploads(s3, bucket),
    };
  };
  if (args.table || args.bucket) {
    if (!args.table || !args.bucket) fail("Give both --table and --bucket for a deployed catalogue.");
    const region = args.region ?? "us-east-1";
    return make(new DynamoDBClient({ region }), makeS3Client({ region }), args.table!, args.bucket!);
  }
  const e = runningEndpoints("give --table/--bucket");
  const local = { region: e.s3.region, credentials: localCredentials() };
  return make(
    new DynamoDBClient({ ...local, endpoint: e.dynamodb.endpoint }),
    makeS3Client({ ...local, s3Endpoint: e.s3.endpoint, s3ForcePathStyle: true }),
    e.dynamodb.table,
    e.s3.bucket,
  );
}

try {
  const t0 = performance.now();
  const run = await refreshSnapshots(deps(), { full: args.full ?? false });
  if (args.json) console.log(JSON.stringify(run));
  else {
    for (const w of run.written) console.log(`written ${w.collection} ${w.month}: ${w.items} items`);
    for (const r of run.removed) console.log(`removed ${r.collection} ${r.month}: no items left`);
    console.log(
      `${run.full ? "full rebuild" : `${run.changesRead} changes read`}: ${run.written.length} months written, ` +
        `${run.removed.length} removed in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
} catch (e) {
  fail(`Cannot refresh the snapshots: ${String(e)}`);
}
