// `npm run mirror -- --from <URL of another hexarchive> [--collections a,b]`: applies the other
// catalogue's change feed to the local one (shared/ingest/mirror-changes.ts) and prints what it did; a
// re-run resumes from the cursor the last one stored. `--table NAME [--region R]`: a deployed catalogue.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { mirrorChanges } from "../../shared/ingest/mirror-changes.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoMirrorCursors } from "../../shared/storage/dynamo-mirror-cursors.ts";
import { loadLocalConfig } from "./config.ts";
import { localCredentials } from "./emulators.ts";
import type { Endpoints } from "./stack.ts";

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
  const config = loadLocalConfig(process.env);
  let e: Endpoints;
  try {
    e = JSON.parse(readFileSync(join(config.dataDir, "endpoints.json"), "utf8"));
  } catch {
    console.error(`No local catalogue found in ${config.dataDir}: start it with npm start, or give --table.`);
    process.exit(2);
  }
  const client = new DynamoDBClient({
    region: e.s3.region,
    credentials: localCredentials(),
    endpoint: e.dynamodb.endpoint,
  });
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
