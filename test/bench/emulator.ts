// The bench's DynamoDB: dynalite in a child process, so that the emulator (CPU-bound, single-threaded)
// and the loader's cover computation and marshalling run on different cores. The data directory is
// the local stack's (DIR/dynamodb), so `--data DIR` archives are interchangeable with `npm start`'s.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { localCredentials } from "../../cdk/local/emulators.ts";
import { ensureTable } from "../../cdk/local/resources.ts";
import { LOCAL_TABLE } from "../../cdk/local/stack.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";

export interface BenchDynamo {
  catalogue: DynamoCatalogue;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function waitListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`dynalite exited (${code})`)));
    child.stdout!.on("data", (b: Buffer) => {
      if (b.toString().includes("listening")) resolve();
    });
  });
}

export async function startBenchDynamo(dataDir: string): Promise<BenchDynamo> {
  const path = join(dataDir, "dynamodb");
  mkdirSync(path, { recursive: true });
  const port = await freePort();
  const cli = createRequire(import.meta.url).resolve("dynalite/cli.js");
  const child = spawn(
    process.execPath,
    [cli, "--port", String(port), "--host", "127.0.0.1", "--path", path, "--createTableMs", "0"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  await waitListening(child);
  const db = new DynamoDBClient({
    region: "us-east-1",
    credentials: localCredentials(),
    endpoint: `http://127.0.0.1:${port}`,
  });
  await ensureTable(db, LOCAL_TABLE);
  const doc = DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } });
  return {
    catalogue: new DynamoCatalogue(doc, LOCAL_TABLE),
    close: async () => {
      db.destroy();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
