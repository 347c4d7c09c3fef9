// Side by side with pgstac: the same NDJSON in pgstac (through the peer harness, ../shared/peers/pgstac)
// and in a local stack on the bench's data directory, the query set timed interleaved through HTTP by
// the harness's `time`, and per query the two p50s and their ratio.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./emulator.ts";
import type { BenchQuery } from "./queries.ts";

export interface PeerOptions {
  /** The harness's tool (`pgstac-peer`). */
  tool: string;
  /** The bench's data directory, already loaded (`npm start` serves it). */
  dataDir: string;
  /** The NDJSON the bench loaded. */
  ndjson: string;
  /** Item count of the NDJSON (for the load rate). */
  items: number;
  /** Load the NDJSON into pgstac first (its bench collections emptied), or use what it holds. */
  load: boolean;
  queries: BenchQuery[];
  rounds: number;
  warmups: number;
  /** Stop the pgstac cluster at the end. */
  stop: boolean;
  log: (s: string) => void;
}

export interface PeerRow {
  id: string;
  hexarchiveP50Ms: number;
  pgstacP50Ms: number;
  /** hexarchive p50 ÷ pgstac p50. */
  ratio: number;
  /** Median of the per-round ratios. */
  pairedRatio: number;
  returned: { hexarchive: number; pgstac: number };
}

export interface PeerFigures {
  rows: PeerRow[];
  /** pgstac's load of the NDJSON through the harness (undefined when it was not loaded). */
  pgstacLoad?: { seconds: number; itemsPerSecond: number };
  /** The harness's CPU calibration over the timed rounds (median ms) and the 1-min load average. */
  calibration: { pgMs?: number; pythonMs?: number; loadAverage: number[] };
  /** The harness's own JSON record (every sample). */
  recordFile: string;
}

const run = promisify(execFile);

/** Resolves once `url` answers (any status); rejects if `child` exits first or after two minutes. */
async function untilAnswers(
  child: ChildProcess,
  url: string,
  what: string,
  init?: RequestInit,
): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) before it answered`);
    try {
      await fetch(url, init);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${what} did not answer at ${url}`);
}

/** Starts a command in its own process group (stopped as a whole: npx and tsx start children), output to `logFile`. */
function startGroup(command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): ChildProcess {
  const out = openSync(logFile, "a");
  const child = spawn(command, args, {
    stdio: ["ignore", out, out],
    detached: true,
    ...(env ? { env } : {}),
  });
  closeSync(out);
  return child;
}

/** SIGTERM to the child's process group; SIGKILL if it has not exited after ten seconds. */
async function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // The group is gone already.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The query set as a harness query file: a paged query is its body plus `page`. */
export function peerQueryFile(queries: BenchQuery[]): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    queries.map((q) => [q.id, q.page && q.page > 1 ? { ...q.body, page: q.page } : q.body]),
  );
}

export async function sideBySide(o: PeerOptions): Promise<PeerFigures> {
  const tool = (args: string[]) =>
    run("/usr/bin/python3", [o.tool, ...args], { maxBuffer: 64 * 1024 * 1024 }).then((r) => r.stdout);
  o.log(`pgstac: ${(await tool(["start"])).trim().split("\n").pop()}`);
  let pgstacLoad: PeerFigures["pgstacLoad"];
  if (o.load) {
    // Another shape may be loaded: the collections go, with their partitions, before this one's load.
    await tool(["psql", "-q", "-c", "SELECT delete_collection(id) FROM collections;"]);
    o.log(`pgstac: loading ${o.items} items from ${o.ndjson} …`);
    const t0 = performance.now();
    await tool([
      "load",
      o.ndjson,
      "--partition",
      "year",
      "--queryable",
      "eo:cloud_cover:float",
      "--streams",
      "2",
    ]);
    const seconds = (performance.now() - t0) / 1000;
    pgstacLoad = { seconds, itemsPerSecond: o.items / seconds };
    o.log(
      `pgstac load: ${o.items} items in ${seconds.toFixed(0)} s = ${pgstacLoad.itemsPerSecond.toFixed(0)} items/s`,
    );
  }
  const [shimPort, apiPort, s3Port, dynamoPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  let shim: ChildProcess | undefined;
  let api: ChildProcess | undefined;
  try {
    shim = startGroup(
      "/usr/bin/python3",
      [o.tool, "serve", "--port", String(shimPort)],
      join(o.dataDir, "peer-shim.log"),
    );
    api = startGroup("npx", ["tsx", "dev/local/main.ts"], join(o.dataDir, "peer-api.log"), {
      ...process.env,
      NODE_OPTIONS: "--openssl-legacy-provider",
      AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
      AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      HEXARCHIVE_DATA_DIR: o.dataDir,
      HEXARCHIVE_SAMPLES: "0",
      HEXARCHIVE_PORT: String(apiPort),
      HEXARCHIVE_S3_PORT: String(s3Port),
      HEXARCHIVE_DYNAMODB_PORT: String(dynamoPort),
    });
    const [urlA, urlB] = [`http://127.0.0.1:${apiPort}`, `http://127.0.0.1:${shimPort}`];
    await untilAnswers(api, `${urlA}/`, "npm start");
    await untilAnswers(shim, `${urlB}/search`, "the pgstac shim", {
      method: "POST",
      body: '{"limit": 1}',
      headers: { "content-type": "application/json" },
    });
    const queryFile = join(o.dataDir, "peer-queries.json");
    writeFileSync(queryFile, `${JSON.stringify(peerQueryFile(o.queries), null, 1)}\n`);
    const recordFile = join(o.dataDir, "peer-time.json");
    const timeArgs = [
      "time",
      queryFile,
      "--url-a",
      urlA,
      "--url-b",
      urlB,
      "--name-a",
      "hexarchive",
      "--name-b",
      "pgstac",
      "--rounds",
      String(o.rounds),
      "--warmups",
      String(o.warmups),
      "--json",
      recordFile,
    ];
    o.log(`pgstac-peer ${timeArgs.join(" ")}`);
    const printedOut = await tool(timeArgs);
    for (const l of printedOut.trimEnd().split("\n")) o.log(`  | ${l}`);
    return { ...readRecord(recordFile), ...(pgstacLoad ? { pgstacLoad } : {}), recordFile };
  } finally {
    await stopGroup(api);
    await stopGroup(shim);
    if (o.stop) o.log(`pgstac: ${(await tool(["stop"])).trim().split("\n").pop()}`);
  }
}

interface Record_ {
  summary: Record<
    string,
    Record<string, { p50: number }> & { ratio_p50: number; ratio_paired_median: number }
  >;
  responses: Record<string, Record<string, { returned: number }>>;
  calibration?: { pg_gs_ms?: number; py_loop_ms: number; loadavg: number[]; warmup: boolean }[];
}

function readRecord(file: string): Pick<PeerFigures, "rows" | "calibration"> {
  const r = JSON.parse(readFileSync(file, "utf8")) as Record_;
  const rows = Object.entries(r.summary).map(([id, s]) => ({
    id,
    hexarchiveP50Ms: s["hexarchive"]!.p50,
    pgstacP50Ms: s["pgstac"]!.p50,
    ratio: s.ratio_p50,
    pairedRatio: s.ratio_paired_median,
    returned: {
      hexarchive: r.responses["hexarchive"]?.[id]?.returned ?? -1,
      pgstac: r.responses["pgstac"]?.[id]?.returned ?? -1,
    },
  }));
  const timed = (r.calibration ?? []).filter((c) => !c.warmup);
  const median = (xs: number[]) =>
    xs.length === 0 ? undefined : [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const pgMs = median(timed.flatMap((c) => (c.pg_gs_ms === undefined ? [] : [c.pg_gs_ms])));
  const pythonMs = median(timed.map((c) => c.py_loop_ms));
  return {
    rows,
    calibration: {
      ...(pgMs === undefined ? {} : { pgMs }),
      ...(pythonMs === undefined ? {} : { pythonMs }),
      loadAverage: timed.map((c) => c.loadavg[0]!),
    },
  };
}

/** The side-by-side table: query, both p50s, the ratio (and the paired ratio, and results returned). */
export function peerTable(shape: string, f: PeerFigures): string[] {
  const head = ["query", "hexarchive p50 ms", "pgstac p50 ms", "ratio", "paired", "returned hx/pg"];
  const cells = f.rows.map((r) => [
    r.id,
    r.hexarchiveP50Ms.toFixed(1),
    r.pgstacP50Ms.toFixed(1),
    r.ratio.toFixed(2),
    r.pairedRatio.toFixed(2),
    `${r.returned.hexarchive}/${r.returned.pgstac}`,
  ]);
  const sum = (k: "hexarchiveP50Ms" | "pgstacP50Ms") => f.rows.reduce((s, r) => s + r[k], 0);
  cells.push([
    "sum",
    sum("hexarchiveP50Ms").toFixed(1),
    sum("pgstacP50Ms").toFixed(1),
    (sum("hexarchiveP50Ms") / sum("pgstacP50Ms")).toFixed(2),
    "",
    "",
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const la = f.calibration.loadAverage;
  return [
    `side by side, shape ${shape} (p50 through HTTP: local stack against the pgstac shim, interleaved)`,
    ...[head, ...cells].map((line) => line.map((c, i) => c.padStart(w[i]!)).join("  ")),
    `calibration: pg generate_series(1e6) ${f.calibration.pgMs?.toFixed(0) ?? "-"} ms, python 1e6 loop ${f.calibration.pythonMs?.toFixed(0) ?? "-"} ms (medians); 1-min load average ${la.length ? `${Math.min(...la).toFixed(1)}–${Math.max(...la).toFixed(1)}` : "-"}`,
  ];
}
