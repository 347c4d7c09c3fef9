// npm start's DynamoDB emulator in a process of its own (HEXARCHIVE_DYNAMODB_PROCESS=child): it
// serves and persists as the in-process one does, frees its store when closed, and does not outlive
// a parent that goes away.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { startDynamoChild } from "../../dev/local/dynamo-child.ts";
import { localCredentials, startEmulators } from "../../dev/local/emulators.ts";
import { ensureTable } from "../../dev/local/resources.ts";

const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-dynchild-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function withTable<T>(run: (doc: DynamoDBDocumentClient) => Promise<T>): Promise<T> {
  const emu = await startEmulators({ dataDir, dynamoPort: 0, s3Port: 0, dynamo: "child" });
  const db = new DynamoDBClient({
    region: "us-east-1",
    credentials: localCredentials(),
    endpoint: emu.dynamoEndpoint,
  });
  try {
    await ensureTable(db, "items");
    return await run(DynamoDBDocumentClient.from(db));
  } finally {
    db.destroy();
    await emu.close();
  }
}

describe("dynalite in a child process", () => {
  it("serves, persists across a restart on the same directory, and frees the store when closed", async () => {
    await withTable((doc) =>
      doc.send(new PutCommand({ TableName: "items", Item: { pk: "a", sk: "b", v: 1 } })),
    );
    // A second start on the same store opens it: the first child has released LevelDB's lock.
    const got = await withTable((doc) =>
      doc.send(new GetCommand({ TableName: "items", Key: { pk: "a", sk: "b" } })),
    );
    expect(got.Item).toEqual({ pk: "a", sk: "b", v: 1 });
  }, 60_000);

  it("exits when its parent's channel closes (a killed npm start leaves no emulator holding the store)", async () => {
    const store = mkdtempSync(join(tmpdir(), "hexarchive-dynchild-orphan-"));
    const child = await startDynamoChild(store, 0);
    expect(child.port).toBeGreaterThan(0);
    const pid = child.process.pid!;
    // What the parent's death does to the child: its end of the IPC channel closes.
    child.process.disconnect();
    await child.close();
    expect(child.process.exitCode).toBe(0);
    expect(() => process.kill(pid, 0)).toThrow();
    rmSync(store, { recursive: true, force: true });
  }, 30_000);
});
