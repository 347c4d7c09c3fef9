// The fault harness: many small sidecar products uploaded through a local stack running in a child
// process (real s3rver notifications, the real queue and ingest), with overwrites, deletions, moves,
// garbage and poison objects on a small set of keys, and the stack killed (SIGKILL) and started again
// mid-stream. Afterwards the bucket is read back as the truth and compared, independently of the code
// under test, with the item records and the failures list.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CopyObjectCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { rng as mulberry32 } from "../../support/random-items.ts";
import { compare, FAULT_COLLECTION, type FaultCounts } from "./compare.ts";

export { FAULT_COLLECTION, type FaultCounts };

export interface FaultOptions {
  /** Objects written (PUT or copy): products, garbage and poison. */
  uploads: number;
  /** Times the stack is killed and started again while uploads go on. */
  kills: number;
  seed?: number;
  /** Uploads in flight at once. */
  concurrency?: number;
  /** Distinct keys; fewer keys mean more events per key. Default uploads / 4. */
  keys?: number;
  progress?: (line: string) => void;
  /** Queue settings for the stack (dev/local/stack.ts LocalStackOptions.queue). */
  queue?: Record<string, number>;
}

export interface FaultReport {
  uploads: number;
  deletes: number;
  moves: number;
  kills: number;
  objects: number;
  products: number;
  poison: number;
  items: number;
  failures: number;
  deadLettered: number;
  /** Before the final reconcile: what events, the journal and the reconcile at each restart achieved. */
  beforeReconcile: FaultCounts;
  /** After one more reconcile. */
  afterReconcile: FaultCounts;
  reconcile: Record<string, number>;
  seconds: number;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class ChildStack {
  private child: ChildProcess | undefined;
  ready: Promise<void> = Promise.resolve();
  restarts = 0;

  constructor(private readonly args: Record<string, unknown>) {}

  start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        "--openssl-legacy-provider",
        "--import",
        "tsx",
        join(import.meta.dirname, "stack-child.ts"),
        JSON.stringify(this.args),
      ],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: {
          ...process.env,
          AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
          AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        },
      },
    );
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("ready ")) resolve();
      });
      child.once("exit", (code) =>
        reject(new Error(`stack process exited (${code}) before it was ready: ${out}`)),
      );
    });
    return this.ready;
  }

  /** SIGKILL: no cleanup, no flush; what was not on disk is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }

  async restart(pauseMs: number): Promise<void> {
    await this.kill();
    this.restarts++;
    let settle: () => void = () => {};
    this.ready = new Promise<void>((r) => {
      settle = r;
    });
    await sleep(pauseMs);
    await this.start();
    settle();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, sleep(5_000)]);
    await this.kill();
  }
}

function sidecar(id: string, version: number, poison: boolean): string {
  return JSON.stringify({
    type: "Feature",
    stac_version: "1.1.0",
    id,
    collection: FAULT_COLLECTION,
    // A poison product: a latitude off the globe.
    geometry: { type: "Point", coordinates: [14 + (version % 100) / 100, poison ? 95 : 50] },
    bbox: poison ? [14, 95, 14, 95] : [14, 50, 15, 50],
    properties: {
      datetime: "2025-06-01T10:00:00Z",
      "fault:version": version,
      "fault:kind": poison ? "poison" : "product",
    },
    links: [],
    assets: {},
  });
}

export async function runFaults(o: FaultOptions): Promise<FaultReport> {
  const t0 = Date.now();
  const random = mulberry32(o.seed ?? 16);
  const say = o.progress ?? (() => {});
  const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-faults-"));
  const ports = {
    apiPort: await freePort(),
    s3Port: await freePort(),
    dynamoPort: await freePort(),
    controlPort: await freePort(),
  };
  const stack = new ChildStack({ dataDir, ...ports, ...(o.queue ? { queue: o.queue } : {}) });
  const credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
  const s3 = new S3Client({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${ports.s3Port}`,
    forcePathStyle: true,
    credentials,
    maxAttempts: 1,
  });
  const bucket = "hexarchive-products";
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: "us-east-1",
      endpoint: `http://127.0.0.1:${ports.dynamoPort}`,
      credentials,
    }),
  );
  /** Asks the stack process; a settle of a long backlog outlasts fetch's 5-minute header timeout: ask again. */
  const control = async (path: string): Promise<Record<string, number>> => {
    for (;;) {
      try {
        return (await (await fetch(`http://127.0.0.1:${ports.controlPort}${path}`)).json()) as Record<
          string,
          number
        >;
      } catch (err) {
        if ((err as { cause?: { code?: string } }).cause?.code !== "UND_ERR_HEADERS_TIMEOUT") throw err;
      }
    }
  };

  try {
    await stack.start();
    const keyCount = o.keys ?? Math.max(20, Math.floor(o.uploads / 4));
    const keyOf = (i: number) => `faults/k${i}.stac.json`;
    const pickKey = () => keyOf(Math.floor(random() * keyCount));
    // Ids of a small pool: some keys share an id (two keys describe one product), some change id.
    const pickId = (key: string) =>
      random() < 0.15 ? `p${Math.floor(random() * (keyCount / 2))}` : `id-${key.slice(8, -10)}`;
    let version = 0;
    const counts = { uploads: 0, deletes: 0, moves: 0 };

    /** Runs an S3 call, waiting for the stack to come back when it was killed meanwhile. */
    const s3call = async (make: () => Promise<unknown>) => {
      for (let attempt = 0; ; attempt++) {
        try {
          await stack.ready;
          await make();
          return;
        } catch (err) {
          const name = (err as { name?: string }).name ?? "";
          if (name === "NoSuchKey" || name === "NotFound") return;
          if (attempt >= 20) throw err;
          await sleep(50);
        }
      }
    };
    const put = (key: string, body: string) =>
      s3call(() => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })));

    const step = async () => {
      const r = random();
      const key = pickKey();
      if (r < 0.6) {
        counts.uploads++;
        await put(key, sidecar(pickId(key), ++version, false));
      } else if (r < 0.67) {
        counts.uploads++;
        await put(key, sidecar(pickId(key), ++version, true));
      } else if (r < 0.72) {
        counts.uploads++;
        await put(key, `garbage ${++version} {`);
      } else if (r < 0.84) {
        counts.deletes++;
        await s3call(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
      } else if (r < 0.93) {
        // A move: copy to another key, then delete the original.
        const to = pickKey();
        if (to === key) return;
        counts.moves++;
        counts.uploads++;
        await s3call(() =>
          s3.send(new CopyObjectCommand({ Bucket: bucket, Key: to, CopySource: `${bucket}/${key}` })),
        );
        await s3call(() => s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })));
      } else {
        // A burst of overwrites of one key, all at once.
        counts.uploads += 3;
        await Promise.all([1, 2, 3].map(() => put(key, sidecar(pickId(key), ++version, false))));
      }
    };

    const killAt = Array.from({ length: o.kills }, (_, i) =>
      Math.floor(((i + 1) * o.uploads) / (o.kills + 1)),
    );
    let killing: Promise<void> | undefined;
    const worker = async () => {
      while (counts.uploads < o.uploads) {
        await step();
        if (killAt.length > 0 && counts.uploads >= killAt[0]! && !killing) {
          killAt.shift();
          say(`kill at ${counts.uploads} uploads`);
          // The others keep uploading until the process is gone, then wait for it to come back.
          killing = stack.restart(Math.floor(random() * 300)).then(() => {
            killing = undefined;
          });
        }
      }
    };
    await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
    await killing;
    await stack.ready;
    say(`${counts.uploads} uploads done in ${((Date.now() - t0) / 1000).toFixed(1)} s; settling`);
    await control("/settled");

    const before = await compare(s3, doc, bucket);
    say(`compared: ${JSON.stringify(before.counts)}; reconciling`);
    const reconcile = await control("/reconcile");
    const { deadLettered } = await control("/settled");
    const after = await compare(s3, doc, bucket);
    say(`compared after reconcile: ${JSON.stringify(after.counts)}`);
    return {
      ...counts,
      kills: stack.restarts,
      objects: after.objects,
      products: after.products,
      poison: after.poison,
      items: after.items,
      failures: after.failures,
      deadLettered: deadLettered ?? 0,
      beforeReconcile: before.counts,
      afterReconcile: after.counts,
      reconcile,
      seconds: (Date.now() - t0) / 1000,
    };
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
