// The lifecycle commands, on the local catalogue (a running `npm start`) or, with --table/--bucket
// [--region], a deployed one with the default AWS credentials:
//   npm run delete -- COLLECTION ID --cause CAUSE [--text TEXT]   delete a product, keep its tombstone
//   npm run tombstones -- [--collection C] [--cause C] [--since T] [--limit N]
//   npm run sync-deletions -- [FILE] [--dry-run]    apply an upstream list (CDSE DeletedProducts JSON or CSV)
//   npm run retention -- [--policy FILE] [--dry-run]  evict what the policies expired
//   npm run gaps -- --collection C --upstream FILE [--from DAY --to DAY] [--with-bucket] [--json]
//                                                  the index against an upstream list (and the bucket)
// Without a file they read the data directory's upstream/deleted-products.json and retention.json: locally
// it is what the lifecycle inputs bucket is on AWS (shared/lifecycle/inputs.ts).
import { readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type LifecycleJobDeps, makeLifecycleDeps } from "../../lambdas/lifecycle/deps.ts";
import { CatalogueError } from "../../shared/errors.ts";
import { requireCause } from "../../shared/lifecycle/causes.ts";
import { deleteProduct } from "../../shared/lifecycle/delete-product.ts";
import {
  dayOption,
  formatGapReport,
  gapsOfCollection,
  parseUpstreamProducts,
} from "../../shared/lifecycle/gaps.ts";
import { LIFECYCLE_INPUT_KEYS } from "../../shared/lifecycle/inputs.ts";
import { formatRetentionReport, runRetention } from "../../shared/lifecycle/retention.ts";
import { parseRetentionPolicies } from "../../shared/lifecycle/retention-policy.ts";
import { formatSyncReport, syncDeletions } from "../../shared/lifecycle/sync-deletions.ts";
import { describeDeletion } from "../../shared/lifecycle/tombstone.ts";
import { parseUpstreamDeletions } from "../../shared/lifecycle/upstream-deletions.ts";
import { silentLogger } from "../../shared/log.ts";
import { makeS3Client } from "../../shared/storage/clients.ts";
import { loadLocalConfig } from "./config.ts";
import { localCredentials } from "./emulators.ts";
import { runningEndpoints } from "./running.ts";

const [command, ...rest] = process.argv.slice(2);
const { values: args, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: {
    table: { type: "string" },
    bucket: { type: "string" },
    region: { type: "string" },
    "dry-run": { type: "boolean" },
    cause: { type: "string" },
    text: { type: "string" },
    collection: { type: "string" },
    since: { type: "string" },
    limit: { type: "string" },
    policy: { type: "string" },
    upstream: { type: "string" },
    from: { type: "string" },
    to: { type: "string" },
    json: { type: "boolean" },
    "with-bucket": { type: "boolean" },
  },
});
const config = loadLocalConfig(process.env);
const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

function deps(): LifecycleJobDeps {
  if (args.table || args.bucket) {
    if (!args.table || !args.bucket) fail("Give both --table and --bucket for a deployed catalogue.");
    const region = args.region ?? "us-east-1";
    return makeLifecycleDeps({
      doc: DynamoDBDocumentClient.from(new DynamoDBClient({ region }), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      s3: makeS3Client({ region }),
      table: args.table!,
      productsBucket: args.bucket!,
      log: silentLogger,
    });
  }
  const e = runningEndpoints("give --table/--bucket");
  const local = { region: e.s3.region, credentials: localCredentials() };
  return makeLifecycleDeps({
    doc: DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: e.dynamodb.endpoint }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
    s3: makeS3Client({ ...local, s3Endpoint: e.s3.endpoint, s3ForcePathStyle: true }),
    table: e.dynamodb.table,
    productsBucket: e.s3.bucket,
    log: silentLogger,
  });
}

const readInput = (file: string) => {
  const path = resolve(config.invokedFrom, file);
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fail(`Cannot read ${path}`);
  }
};

async function main(): Promise<void> {
  const d = deps();
  const dryRun = args["dry-run"] ?? false;
  if (command === "delete") {
    const [collection, id] = positionals;
    if (!collection || !id) fail("usage: npm run delete -- COLLECTION ID --cause CAUSE [--text TEXT]");
    const r = await deleteProduct(d, collection!, id!, {
      cause: requireCause("--cause", args.cause),
      ...(args.text ? { text: args.text } : {}),
      by: `operator:${userInfo().username}`,
    });
    console.log(`${r.outcome}: ${collection}/${id}, ${describeDeletion(r.tombstone)}`);
    console.log(`  ${r.tombstone.objects.length} objects removed from ${r.tombstone.bucket ?? "the bucket"}`);
  } else if (command === "tombstones") {
    const limit = Number(args.limit ?? 1000);
    const page = await d.tombstones.listTombstones({
      collection: args.collection,
      cause: args.cause === undefined ? undefined : requireCause("--cause", args.cause),
      since: args.since === undefined ? undefined : new Date(args.since).toISOString(),
      limit,
    });
    if (page.tombstones.length === 0) console.log("No deleted products.");
    for (const t of page.tombstones)
      console.log(
        `${t.deletedAt}  ${t.collection}/${t.id}\n    ${describeDeletion(t)}${t.objectsRemovedAt ? "" : " (unfinished)"}`,
      );
    if (page.next)
      console.log(`(more: the first ${limit} shown; narrow with --collection, --cause or --since)`);
  } else if (command === "sync-deletions") {
    const file = positionals[0] ?? join(config.dataDir, LIFECYCLE_INPUT_KEYS.deletions);
    const list = parseUpstreamDeletions(readInput(file), file);
    console.log(formatSyncReport(await syncDeletions(d, list, { dryRun })));
  } else if (command === "retention") {
    const file = args.policy ?? join(config.dataDir, LIFECYCLE_INPUT_KEYS.retention);
    const policies = parseRetentionPolicies(readInput(file), file);
    console.log(formatRetentionReport(await runRetention(d, policies, { dryRun })));
  } else if (command === "gaps") {
    if (!args.collection || !args.upstream)
      fail(
        "usage: npm run gaps -- --collection C --upstream FILE [--from DAY --to DAY] [--with-bucket] [--json]",
      );
    const list = parseUpstreamProducts(readInput(args.upstream!), args.upstream);
    const r = await gapsOfCollection(d.catalogue, args.collection!, list, {
      from: dayOption("--from", args.from),
      to: dayOption("--to", args.to),
      bucket: args["with-bucket"]
        ? { listObjects: () => d.objects.listPages(), ledger: d.ledger }
        : undefined,
    });
    console.log(args.json ? JSON.stringify(r, null, 2) : formatGapReport(r));
  } else {
    fail("usage: tsx dev/local/lifecycle.ts delete|tombstones|sync-deletions|retention|gaps …");
  }
}

try {
  await main();
} catch (e) {
  // Bad input and unknown ids are the operator's to fix: the message says what; anything else too.
  fail(e instanceof CatalogueError ? e.message : `Failed: ${String(e)}`);
}
