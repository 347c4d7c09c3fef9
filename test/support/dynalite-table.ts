// dynalite alone, in memory, with the catalogue table created from its one definition: for tests of
// DynamoDB adapters and in-process routes that need no S3 and no local stack.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { localCredentials } from "../../dev/local/emulators.ts";
import { ensureTable } from "../../dev/local/resources.ts";

export interface DynaliteTable {
  doc: DynamoDBDocumentClient;
  table: string;
  close(): Promise<void>;
}

export async function startDynaliteTable(table = "hexarchive-catalogue"): Promise<DynaliteTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const db = new DynamoDBClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    credentials: localCredentials(),
  });
  await ensureTable(db, table);
  const doc = DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } });
  return {
    doc,
    table,
    async close() {
      db.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
