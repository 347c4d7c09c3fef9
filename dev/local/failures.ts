// `npm run failures`: lists the objects that could not be indexed (key, reason, time) from a running or
// stopped local catalogue's data directory.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { loadLocalConfig } from "./config.ts";
import { localCredentials } from "./emulators.ts";
import type { Endpoints } from "./stack.ts";

const config = loadLocalConfig(process.env);
let endpoints: Endpoints;
try {
  endpoints = JSON.parse(readFileSync(join(config.dataDir, "endpoints.json"), "utf8"));
} catch {
  console.error(`No local catalogue found in ${config.dataDir}: start it with npm start first.`);
  process.exit(2);
}
const db = new DynamoDBClient({
  region: "us-east-1",
  endpoint: endpoints.dynamodb.endpoint,
  credentials: localCredentials(),
});
const catalogue = new DynamoCatalogue(DynamoDBDocumentClient.from(db), endpoints.dynamodb.table);
try {
  const failures = await catalogue.listFailures();
  if (failures.length === 0) console.log("No failures: every product uploaded so far is indexed.");
  for (const f of failures) console.log(`${f.time}  ${f.key}\n    ${f.code}: ${f.reason}`);
} catch (e) {
  console.error(
    `Cannot reach the local catalogue at ${endpoints.dynamodb.endpoint} (is npm start running?): ${String(e)}`,
  );
  process.exit(2);
}
