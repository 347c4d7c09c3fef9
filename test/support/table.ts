// dynalite with the catalogue table, in the test's own process, for adapter and search tests that need
// DynamoDB but no S3, API or ingest (the emulator tier, `*.emu.test.ts`).
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo, Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import dynalite from "dynalite";
import { ensureTable } from "../../dev/local/resources.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import type { ChangeLogTiming } from "../../shared/storage/dynamo-change-log.ts";
import { withLeanReads } from "../../shared/storage/lean-reads.ts";

const TABLE = "hexarchive-catalogue";

export interface TestTable {
  db: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  table: string;
  catalogue: DynamoCatalogue;
  endpoint: string;
  close(): Promise<void>;
}

/** Listens on a free port of the loopback interface; resolves to the port. */
export function listening(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * dynalite answers CreateTable with CREATING and turns the table ACTIVE on a later turn of its event
 * loop; a write before then fails with ResourceNotFoundException (seen under load). The local stack does
 * enough between creating the table and its first write; a bare table must wait.
 */
async function tableActive(db: DynamoDBClient, name: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`table ${name} is not ACTIVE after 5 s`);
}

/**
 * The table as the CDK app defines it (dev/local/resources.ts), on disk in a temporary directory:
 * dynalite's in-memory store was measured several times slower at writing than its LevelDB one.
 */
export async function startTestTable(o: { changeTiming?: ChangeLogTiming } = {}): Promise<TestTable> {
  const dir = mkdtempSync(join(tmpdir(), "hexarchive-table-"));
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: dir }) as Server;
  const endpoint = `http://127.0.0.1:${await listening(server)}`;
  // dynalite takes any credentials; these are the local stack's (dev/local/emulators.ts).
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const db = new DynamoDBClient({ region: "us-east-1", credentials, endpoint });
  // Reads as the functions send them (shared/storage/clients.ts makeDocumentClient).
  const doc = withLeanReads(
    DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }),
  );
  await ensureTable(db, TABLE);
  await tableActive(db, TABLE);
  return {
    db,
    doc,
    table: TABLE,
    catalogue: new DynamoCatalogue(doc, TABLE, o.changeTiming ? { changeTiming: o.changeTiming } : {}),
    endpoint,
    async close() {
      doc.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
