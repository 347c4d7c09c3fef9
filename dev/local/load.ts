// `npm run load -- FILE.ndjson`: loads an NDJSON catalogue (collections and items, one a line, as
// `hexarchive export` writes it) into the local catalogue through the bulk path (shared/ingest/
// bulk-load.ts), resumable: run the same command again after a kill and it goes on from its checkpoint.
// With the local stack stopped, the store is written directly (the emulator's bulk import channel, the
// local analogue of DynamoDB's ImportTable: the fast path); with it running, through its DynamoDB
// endpoint (BatchWriteItem); `--table NAME [--region R]` a deployed table with the default AWS
// credentials. Options: --checkpoint FILE (FILE.ndjson.load-checkpoint) --workers N (2) --batch N
// (lines per batch, 2000) --checkpoint-items N (20000) --create-collections (bare collections for items
// whose collection is neither in the catalogue nor earlier in the file) --data DIR (the stack's).
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { bulkLoadNdjson } from "../../shared/ingest/bulk-load.ts";
import { fileCheckpoint, fileOpener } from "../../shared/ingest/ndjson-file.ts";
import type { Importer } from "../../shared/storage/dynamo-bulk-load.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { startBenchDynamo } from "../bench/emulator.ts";
import { loadLocalConfig } from "./config.ts";
import { localCredentials } from "./emulators.ts";
import { preparePool } from "./prepare-pool.ts";
import type { Endpoints } from "./stack.ts";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    checkpoint: { type: "string" },
    workers: { type: "string", default: "2" },
    batch: { type: "string", default: "2000" },
    "checkpoint-items": { type: "string", default: "20000" },
    "create-collections": { type: "boolean", default: false },
    data: { type: "string" },
    table: { type: "string" },
    region: { type: "string" },
  },
});

const config = loadLocalConfig(process.env);
const file = positionals[0] ? resolve(config.invokedFrom, positionals[0]) : undefined;
if (!file || positionals.length > 1) {
  console.error(
    "usage: npm run load -- FILE.ndjson [--checkpoint FILE] [--workers N] [--create-collections]",
  );
  process.exit(2);
}
const dataDir = args.data ? resolve(config.invokedFrom, args.data) : config.dataDir;
const cpFile = args.checkpoint ? resolve(config.invokedFrom, args.checkpoint) : `${file}.load-checkpoint`;

/** The running local stack's DynamoDB, if it answers. */
async function runningStack(): Promise<DynamoCatalogue | undefined> {
  let endpoints: Endpoints;
  try {
    endpoints = JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8"));
  } catch {
    return undefined;
  }
  const db = new DynamoDBClient({
    region: "us-east-1",
    endpoint: endpoints.dynamodb.endpoint,
    credentials: localCredentials(),
    maxAttempts: 1,
  });
  try {
    await db.send(new DescribeTableCommand({ TableName: endpoints.dynamodb.table }), {
      abortSignal: AbortSignal.timeout(2000),
    });
  } catch {
    db.destroy();
    return undefined;
  }
  const doc = DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } });
  return new DynamoCatalogue(doc, endpoints.dynamodb.table);
}

let close = async () => {};
let catalogue: DynamoCatalogue;
let importer: Importer | undefined;
let via: string;
if (args.table) {
  const db = new DynamoDBClient(args.region ? { region: args.region } : {});
  catalogue = new DynamoCatalogue(
    DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }),
    args.table,
  );
  via = `table ${args.table} (BatchWriteItem)`;
} else {
  const running = await runningStack();
  if (running) {
    catalogue = running;
    via = "the running local stack's DynamoDB (BatchWriteItem; stop npm start for the faster direct path)";
  } else {
    const store = await startBenchDynamo(dataDir);
    catalogue = store.catalogue;
    importer = store.importer;
    close = () => store.close();
    via = `${join(dataDir, "dynamodb")} directly (bulk import channel)`;
  }
}

const pool = preparePool(Math.max(1, Number(args.workers)));
const size = statSync(file).size;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
console.error(`loading ${file} (${(size / 1e6).toFixed(0)} MB) into ${via}`);
try {
  const result = await bulkLoadNdjson({
    open: fileOpener(file),
    sink: catalogue,
    checkpoint: fileCheckpoint(cpFile),
    prepare: pool.prepare,
    ...(importer ? { importer } : {}),
    batchLines: Number(args.batch),
    checkpointItems: Number(args["checkpoint-items"]),
    createCollections: args["create-collections"],
    onBad: (line, reason) => console.error(`${file}:${line}: ${reason} (not loaded)`),
    onCheckpoint: (cp) => {
      const s = (performance.now() - t0) / 1000;
      console.error(
        `  line ${cp.line} (${((cp.offset / size) * 100).toFixed(0)} %): ${cp.items} items, ${cp.bad} bad, ${s.toFixed(0)} s`,
      );
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (result.resumedAfterLine > 0) console.error(`resumed after line ${result.resumedAfterLine}`);
  console.error(
    `loaded ${result.written} items in ${seconds.toFixed(1)} s = ${(result.written / seconds).toFixed(0)} items/s` +
      ` (${result.items} in all, ${result.bad} bad lines, ${result.collections} collections created);` +
      ` this process ${cpuSeconds.toFixed(1)} CPU s = ${((cpuSeconds / Math.max(1, result.written)) * 1000).toFixed(2)} ms an item` +
      `${importer ? " (the emulator's own process not included)" : ""};` +
      ` ${catalogue.stats.requests} DynamoDB API requests`,
  );
  console.log(JSON.stringify({ ...result, seconds, cpuSeconds }));
} catch (e) {
  console.error(`load stopped: ${(e as Error).message}; run the same command again to resume from ${cpFile}`);
  process.exitCode = 1;
} finally {
  await pool.close();
  await close();
}
