// CPU per item of a bulk load (`npm run load`'s path), split between the loader's process (its worker
// threads included) and the DynamoDB emulator's, with the API requests by kind: CPU survives a busy
// machine where wall time does not. Loads FILE.ndjson into a fresh store in DIR (emptied first):
//   npx tsx dev/bench/load-cpu.ts FILE.ndjson import|http DIR [--workers N]
// `import`: the emulator's bulk import channel (npm run load with the stack stopped); `http`: the local
// stack's own emulator child (dev/local/dynalite-child.cjs) through BatchWriteItem (npm run load with
// npm start running). Prints one JSON line.
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { bulkLoadNdjson } from "../../shared/ingest/bulk-load.ts";
import { fileCheckpoint, fileOpener } from "../../shared/ingest/ndjson-file.ts";
import type { Importer } from "../../shared/storage/dynamo-bulk-load.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { startDynamoChild } from "../local/dynamo-child.ts";
import { localCredentials } from "../local/emulators.ts";
import { preparePool } from "../local/prepare-pool.ts";
import { ensureTable } from "../local/resources.ts";
import { LOCAL_TABLE } from "../local/stack.ts";
import { startBenchDynamo } from "./emulator.ts";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: { workers: { type: "string", default: "2" } },
});
const [file, mode, dir] = positionals;
if (!file || !dir || (mode !== "import" && mode !== "http")) {
  console.error("usage: npx tsx dev/bench/load-cpu.ts FILE.ndjson import|http DIR [--workers N]");
  process.exit(2);
}
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const requests: Record<string, number> = {};
const countRequests = (doc: DynamoDBDocumentClient) =>
  doc.middlewareStack.add(
    (next, context) => (a) => {
      const name = String(context["commandName"]);
      requests[name] = (requests[name] ?? 0) + 1;
      return next(a);
    },
    { step: "initialize" },
  );

let catalogue: DynamoCatalogue;
let importer: Importer | undefined;
let childPid: number;
let close: () => Promise<void>;
if (mode === "import") {
  const store = await startBenchDynamo(dir);
  catalogue = store.catalogue;
  importer = store.importer;
  close = store.close;
  // The emulator is this process's only child process.
  childPid = Number(readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim());
} else {
  const child = await startDynamoChild(join(dir, "dynamodb"), 0);
  childPid = child.process.pid!;
  const db = new DynamoDBClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${child.port}`,
    credentials: localCredentials(),
  });
  await ensureTable(db, LOCAL_TABLE);
  catalogue = new DynamoCatalogue(
    DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }),
    LOCAL_TABLE,
  );
  close = async () => {
    db.destroy();
    await child.close();
  };
}
countRequests(catalogue.table.doc);

/** CPU seconds of a process (user + system, from /proc). */
const cpuOf = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const pool = preparePool(Math.max(1, Number(args.workers)));
const own0 = process.cpuUsage();
const child0 = cpuOf(childPid);
const t0 = performance.now();
let maxRss = 0;
const sampler = setInterval(() => {
  maxRss = Math.max(maxRss, process.memoryUsage().rss);
}, 500);
const result = await bulkLoadNdjson({
  open: fileOpener(file),
  sink: catalogue,
  checkpoint: fileCheckpoint(join(dir, "load-checkpoint")),
  prepare: pool.prepare,
  ...(importer ? { importer } : {}),
  createCollections: true,
});
const own = process.cpuUsage(own0);
const loaderS = (own.user + own.system) / 1e6;
const childS = cpuOf(childPid) - child0;
const wall = (performance.now() - t0) / 1000;
const childPeak = Number(readFileSync(`/proc/${childPid}/status`, "utf8").match(/VmHWM:\s+(\d+)/)![1]);
clearInterval(sampler);
await pool.close();
await close();
const perItem = (s: number) => Number(((s * 1000) / Math.max(1, result.written)).toFixed(3));
console.log(
  JSON.stringify({
    mode,
    items: result.written,
    wallSeconds: Number(wall.toFixed(1)),
    loaderMsPerItem: perItem(loaderS),
    emulatorMsPerItem: perItem(childS),
    totalMsPerItem: perItem(loaderS + childS),
    loaderMaxRssMB: Math.round(maxRss / 1e6),
    emulatorPeakRssMB: Math.round(childPeak / 1e3),
    requests,
  }),
);
