// `npm run recount`: rebuilds the row counts that size searches' first rounds from the item records
// (after many replacements or deletions, which ingest never subtracts, or for a catalogue indexed before
// the quarter counts existed). The local catalogue by default; `--table NAME [--region R]` a deployed
// one with the default AWS credentials. `--collection ID` (repeatable) limits it to those collections.
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { localCatalogue, runningEndpoints } from "./running.ts";

const { values: args } = parseArgs({
  options: {
    table: { type: "string" },
    region: { type: "string" },
    collection: { type: "string", multiple: true },
  },
});

const catalogue = args.table
  ? new DynamoCatalogue(
      DynamoDBDocumentClient.from(new DynamoDBClient(args.region ? { region: args.region } : {})),
      args.table,
    )
  : localCatalogue(runningEndpoints("give --table"));
try {
  const ids = args.collection ?? (await catalogue.listCollections()).map((c) => c.collection.id);
  for (const id of ids) {
    const t0 = performance.now();
    const items = await catalogue.recountRows(id);
    console.log(`${id}: ${items} items counted in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log(`${catalogue.stats.requests} requests, ${catalogue.stats.capacity.toFixed(1)} capacity units`);
} catch (e) {
  console.error(`Cannot recount: ${String(e)}`);
  process.exit(2);
}
