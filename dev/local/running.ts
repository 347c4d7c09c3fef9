// The running (or stopped) local catalogue the operators' commands act on: the endpoints `npm start`
// wrote into its data directory, and its DynamoDB as a catalogue. A command without them exits 2,
// saying how to start the stack or what to give instead.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { loadLocalConfig } from "./config.ts";
import { localCredentials } from "./emulators.ts";
import type { Endpoints } from "./stack.ts";

/** The local stack's endpoints; `instead` (e.g. "give --table") ends the message when there are none. */
export function runningEndpoints(instead?: string): Endpoints {
  const { dataDir } = loadLocalConfig(process.env);
  try {
    return JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8")) as Endpoints;
  } catch {
    console.error(
      `No local catalogue found in ${dataDir}: start it with npm start${instead ? `, or ${instead}` : " first"}.`,
    );
    process.exit(2);
  }
}

/** The local stack's DynamoDB client. */
export const localDynamoClient = (e: Endpoints) =>
  new DynamoDBClient({ region: e.s3.region, endpoint: e.dynamodb.endpoint, credentials: localCredentials() });

/** The local stack's catalogue. */
export const localCatalogue = (e: Endpoints) =>
  new DynamoCatalogue(DynamoDBDocumentClient.from(localDynamoClient(e)), e.dynamodb.table);
