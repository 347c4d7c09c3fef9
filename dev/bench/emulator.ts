// The bench's DynamoDB: dynalite in a child process, so that the emulator (CPU-bound, single-threaded)
// and the loader's cover computation and marshalling run on different cores. The data directory is
// the local stack's (DIR/dynamodb), so `--data DIR` archives are interchangeable with `npm start`'s.
// The child also offers a bulk import channel (dynalite-import.cjs): `importer` writes records
// straight into the emulator's store, the local analogue of DynamoDB's ImportTable.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { itemsPartition } from "../../shared/index/keys.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { withLeanReads } from "../../shared/storage/lean-reads.ts";
import { localCredentials } from "../local/emulators.ts";
import { ensureTable } from "../local/resources.ts";
import { LOCAL_TABLE } from "../local/stack.ts";
import { RequestTimeline } from "./request-timeline.ts";

/** The parts of dynalite's item rules (dynalite/db) the importer applies. */
interface DynaliteRules {
  validateItem(item: unknown, table: unknown): { body?: { message?: string } } | undefined;
  capacityUnits(item: unknown, isRead: boolean, isConsistent: boolean): number;
}

export interface BenchDynamo {
  catalogue: DynamoCatalogue;
  /** Times the catalogue's requests: a search's sequential rounds, measured. */
  timeline: RequestTimeline;
  /** Bulk import of table records (plain attribute maps); resolves to the write units they cost. */
  importer: (records: Record<string, unknown>[]) => Promise<number>;
  /** Item records the store holds, over all collections (its keys counted in the emulator). */
  countItems(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A record whose values are all strings (index rows) as DynamoDB JSON, as marshall writes it, without
 * marshall's walk of every value; undefined for any other record.
 */
function stringsOnly(r: Record<string, unknown>): Record<string, { S: string }> | undefined {
  const out: Record<string, { S: string }> = {};
  for (const k in r) {
    const v = r[k];
    if (typeof v !== "string") return undefined;
    out[k] = { S: v };
  }
  return out;
}

/** A TCP port free on 127.0.0.1 at the time of asking. */
export function freePort(): Promise<number> {
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
  const script = fileURLToPath(new URL("./dynalite-import.cjs", import.meta.url));
  const child = spawn(process.execPath, [script, "--port", String(port), "--path", path], {
    stdio: ["ignore", "pipe", "inherit", "ipc"],
    // Structured clone, not JSON: the items' DynamoDB JSON text crosses as it is, not escaped again.
    serialization: "advanced",
  });
  await waitListening(child);
  const db = new DynamoDBClient({
    region: "us-east-1",
    credentials: localCredentials(),
    endpoint: `http://127.0.0.1:${port}`,
  });
  await ensureTable(db, LOCAL_TABLE);
  // Reads sent as the functions send them (shared/storage/clients.ts).
  const doc = withLeanReads(
    DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }),
  );
  const timeline = new RequestTimeline(doc);
  const { Table: table } = await db.send(new DescribeTableCommand({ TableName: LOCAL_TABLE }));
  const waiting = new Map<number, { resolve: (counts?: number[]) => void; reject: (e: Error) => void }>();
  child.on("message", (m: { id: number; error?: string; counts?: number[] }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error !== undefined) w?.reject(new Error(`bulk import: ${m.error}`));
    else w?.resolve(m.counts);
  });
  let nextId = 0;
  // Validated and sized here with dynalite's own rules, as its BatchWriteItem does; the child only stores.
  const rules = createRequire(import.meta.url)("dynalite/db") as DynaliteRules;
  const importer = (records: Record<string, unknown>[]) => {
    let writeUnits = 0;
    // Flat arrays of strings, not an object per item: cheaper to clone on both sides of the pipe.
    const pk: string[] = [];
    const sk: string[] = [];
    const json: string[] = [];
    for (const r of records) {
      const item = stringsOnly(r) ?? marshall(r, { removeUndefinedValues: true });
      const invalid = rules.validateItem(item, table);
      if (invalid) throw new Error(`bulk import: ${invalid.body?.message ?? String(invalid)}`);
      writeUnits += rules.capacityUnits(item, false, false);
      pk.push((item["pk"] as { S: string }).S);
      sk.push((item["sk"] as { S: string }).S);
      json.push(JSON.stringify(item));
    }
    return new Promise<number>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: () => resolve(writeUnits), reject });
      child.send({ id, table: LOCAL_TABLE, pk, sk, json });
    });
  };
  const catalogue = new DynamoCatalogue(doc, LOCAL_TABLE);
  const countItems = async () => {
    const partitions = (await catalogue.listCollections()).map((c) => itemsPartition(c.collection.id));
    const counts = await new Promise<number[]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: (c) => resolve(c ?? []), reject });
      child.send({ id, table: LOCAL_TABLE, count: partitions });
    });
    return counts.reduce((a, b) => a + b, 0);
  };
  return {
    catalogue,
    timeline,
    importer,
    countItems,
    close: async () => {
      db.destroy();
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
