// `npm run mirror -- --from <URL of another hexarchive> [--collections a,b]`: applies the other
// catalogue's change feed to the local one (shared/ingest/mirror-changes.ts) and prints what it did; a
// re-run resumes from the cursor the last one stored. `--table NAME [--region R]`: a deployed catalogue.
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mirrorChanges } from "../../shared/ingest/mirror-changes.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoMirrorCursors } from "../../shared/storage/dynamo-mirror-cursors.ts";
import { localDynamoClient, runningEndpoints } from "./running.ts";

const { values: args } = parseArgs({
  options: {
    from: { type: "string" },
    collections: { type: "string" },
    table: { type: "string" },
    region: { type: "string" },
  },
});

if (!args.from) {
  console.error("Give --from <URL of the catalogue to mirror>, e.g. --from http://other:3000");
  process.exit(2);
}

function target(): { doc: DynamoDBDocumentClient; table: string } {
  const options = { marshallOptions: { removeUndefinedValues: true } };
  if (args.table)
    return {
      doc: DynamoDBDocumentClient.from(
        new DynamoDBClient(args.region ? { region: args.region } : {}),
        options,
      ),
      table: args.table,
    };
  const e = runningEndpoints("give --table");
  const client = localDynamoClient(e);
  return { doc: DynamoDBDocumentClient.from(client, options), table: e.dynamodb.table };
}

const t = target();
const catalogue = new DynamoCatalogue(t.doc, t.table);
try {
  await mirrorChanges(
    {
      catalogue,
      cursors: new DynamoMirrorCursors(catalogue.table),
      get: async (url) => {
        const res = await fetch(url, { headers: { accept: "application/json" } });
        const text = await res.text();
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        return { status: res.status, body };
      },
      log: (line) => console.log(line),
    },
    {
      from: args.from,
      collections: args.collections
        ?.split(",")
        .map((c) => c.trim())
        .filter(Boolean),
    },
  );
} catch (e) {
  console.error(`Cannot mirror ${args.from}: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
