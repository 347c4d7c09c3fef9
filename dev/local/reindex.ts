// `npm run reindex`: gives collections indexed before base rows (index features 2) their base rows in
// place, then stamps them 3 (shared/storage/dynamo-base-rows.ts); searches stay correct throughout and
// use base ranges from the stamp on. Stopped, it resumes where it was. The local catalogue by default;
// `--table NAME [--region R]` a deployed one with the default AWS credentials. `--collection ID`
// (repeatable) limits it to those collections (default: every collection still stamped 2);
// `--dry-run` reads and prints what it would write.
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { BASE_ROWS_FEATURE, COUNTED_ROWS_FEATURE } from "../../shared/index/keys.ts";
import type { ReindexReport } from "../../shared/storage/dynamo-base-rows.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { localCatalogue, runningEndpoints } from "./running.ts";

const { values: args } = parseArgs({
  options: {
    table: { type: "string" },
    region: { type: "string" },
    collection: { type: "string", multiple: true },
    "dry-run": { type: "boolean", default: false },
  },
});

const n = (x: number) => x.toLocaleString("en-US");

function describe(r: ReindexReport, dryRun: boolean, seconds: number): string {
  if (r.alreadyDone) return `${r.collection}: nothing to do (it has its base rows, or no rows yet)`;
  const resumed = r.resumedAfter === undefined ? "" : ` (resumed after item '${r.resumedAfter}')`;
  if (dryRun)
    return (
      `${r.collection} (dry run)${resumed}: ${n(r.items)} items read, ${n(r.updated)} would get base rows: ` +
      `${n(r.rowsWritten)} rows, about ${n(r.wcu)} WCU; nothing written`
    );
  const state = r.done
    ? `stamped index features ${BASE_ROWS_FEATURE}: searches now read base ranges`
    : "stopped before the end: run it again to resume";
  return (
    `${r.collection}${resumed}: ${n(r.items)} items read, ${n(r.updated)} given base rows, ` +
    `${n(r.rowsWritten)} rows written (${n(r.rowsPresent)} already there), ${n(r.changed)} changed meanwhile; ` +
    `${n(r.wcu)} WCU, ${r.rcu.toFixed(1)} RCU, ${seconds.toFixed(1)} s; ${state}`
  );
}

const catalogue = args.table
  ? new DynamoCatalogue(
      DynamoDBDocumentClient.from(new DynamoDBClient(args.region ? { region: args.region } : {})),
      args.table,
    )
  : localCatalogue(runningEndpoints("give --table"));
const dryRun = args["dry-run"] === true;
try {
  const ids =
    args.collection ??
    (await catalogue.listCollections())
      .filter((c) => c.indexFeatures === COUNTED_ROWS_FEATURE)
      .map((c) => c.collection.id);
  if (ids.length === 0) console.log(`No collection to reindex: none is stamped ${COUNTED_ROWS_FEATURE}.`);
  for (const id of ids) {
    const t0 = performance.now();
    const report = await catalogue.reindexBaseRows(id, { dryRun });
    console.log(describe(report, dryRun, (performance.now() - t0) / 1000));
  }
  console.log(
    `${n(catalogue.stats.requests)} requests, ${catalogue.stats.capacity.toFixed(1)} capacity units`,
  );
} catch (e) {
  console.error(`Cannot reindex: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
