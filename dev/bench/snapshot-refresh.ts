// A full snapshot refresh (shared/export/snapshots.ts) of a loaded local catalogue, in one call: reports
// its chunks (the saves of its state), months written, items, the longest chunk and this process's peak
// RSS (DynamoDB's emulator runs in a child process; S3's, s3rver, in this one).
// Usage: tsx dev/bench/snapshot-refresh.ts --data DIR [--rows 10000] [--page 1000] [--part-mib 8]
// (DIR holds a local stack's `dynamodb/`, e.g. a copy of a bench store; its `s3/` is made if missing.)
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { refreshSnapshots } from "../../shared/export/snapshots.ts";
import { S3PartUploads } from "../../shared/jobs/multipart.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { localCredentials, startEmulators } from "../local/emulators.ts";
import { ensureBucket } from "../local/resources.ts";
import { LOCAL_BUCKET, LOCAL_TABLE } from "../local/stack.ts";

const { values } = parseArgs({
  options: {
    data: { type: "string" },
    rows: { type: "string", default: "10000" },
    page: { type: "string", default: "1000" },
    "part-mib": { type: "string", default: "8" },
  },
});
if (!values.data) throw new Error("give --data DIR");
const emulators = await startEmulators({ dataDir: values.data, dynamoPort: 0, s3Port: 0, dynamo: "child" });
const local = { region: "us-east-1", credentials: localCredentials() };
const s3 = makeS3Client({ ...local, s3Endpoint: emulators.s3Endpoint, s3ForcePathStyle: true });
await ensureBucket(s3, LOCAL_BUCKET);
const doc = DynamoDBDocumentClient.from(
  new DynamoDBClient({ ...local, endpoint: emulators.dynamoEndpoint }),
  {
    marshallOptions: { removeUndefinedValues: true },
  },
);
const catalogue = new DynamoCatalogue(doc, LOCAL_TABLE);
let chunks = 0;
let longest = 0;
let last = performance.now();
const objects = new S3ObjectStore(s3, LOCAL_BUCKET);
const counted = new Proxy(objects, {
  get(target, prop, receiver) {
    if (prop !== "putObject") return Reflect.get(target, prop, receiver);
    return (key: string, body: Uint8Array | string, type?: string) => {
      if (key.endsWith("state.json")) {
        chunks++;
        longest = Math.max(longest, performance.now() - last);
        last = performance.now();
      }
      return target.putObject(key, body, type);
    };
  },
});
const deps = {
  catalogue,
  changes: catalogue,
  objects: counted,
  uploads: new S3PartUploads(s3, LOCAL_BUCKET),
  settings: {
    rows: Number(values.rows),
    pageSize: Number(values.page),
    partBytes: Number(values["part-mib"]) * 2 ** 20,
  },
};
const t0 = performance.now();
const run = await refreshSnapshots(deps, { full: true });
const months = run.written.length;
const items = run.written.reduce((n, w) => n + w.items, 0);
console.log(
  JSON.stringify({
    rows: deps.settings.rows,
    pageSize: deps.settings.pageSize,
    chunks,
    months,
    items,
    longestChunkMs: Math.round(longest),
    totalS: Math.round((performance.now() - t0) / 1000),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
await emulators.close();
