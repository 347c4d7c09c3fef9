// Local jobs survive a kill of the stack: an import is killed (SIGKILL, stack and all) in the middle,
// the stack is started again on the same data directory, and the job goes on from its last checkpoint
// by itself (dev/local/job-journal.ts) and ends with exactly the file's items: none missing, none twice.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import type { Endpoints } from "../../dev/local/stack.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "../api/seed.ts";

const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-resume-"));
let child: ChildProcess | undefined;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  await kill();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The stack in a child process (resume-child.ts); resolves with its endpoints once it serves. */
function start(): Promise<Endpoints> {
  const c = spawn(
    process.execPath,
    [
      "--openssl-legacy-provider",
      "--import",
      "tsx",
      join(import.meta.dirname, "resume-child.ts"),
      JSON.stringify({ dataDir, chunkBytes: 1024 }),
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
  );
  child = c;
  return new Promise((resolve, reject) => {
    let out = "";
    c.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /ready (.*)\n/.exec(out);
      if (m) resolve(JSON.parse(m[1]!) as Endpoints);
    });
    c.once("exit", (code) => reject(new Error(`the stack exited (${code}) before it served: ${out}`)));
  });
}

/** SIGKILL: nothing is flushed or closed. */
async function kill(): Promise<void> {
  const c = child;
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise((r) => c.once("exit", r));
  c.kill("SIGKILL");
  await exited;
}

const operator = `Basic ${Buffer.from("operator:operator-password").toString("base64")}`;

async function call(api: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: { "content-type": "application/json", authorization: operator },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads whatever JSON the route answered.
  return { status: res.status, json: (await res.json()) as any };
}

const N = 300;
const C = "resumed";

function ndjson(): { text: string; ids: string[] } {
  const lines = [JSON.stringify(makeCollection(C, "Imported across a kill", "test", []))];
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const lon = (i % 90) - 45;
    const lat = (i % 60) - 30;
    const item = makeItem({ id: `r-${i}`, collection: C, datetime: "2024-06-01T00:00:00Z", lon, lat });
    lines.push(JSON.stringify({ ...item, bbox: [lon - 0.5, lat - 0.5, lon + 0.5, lat + 0.5] }));
    ids.push(item.id);
  }
  return { text: `${lines.join("\n")}\n`, ids };
}

describe("local jobs after a restart of the stack", () => {
  it("go on from their checkpoint: an import killed midway ends with exactly the file's items", async () => {
    let endpoints = await start();
    const s3 = new S3Client({
      region: endpoints.s3.region,
      endpoint: endpoints.s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: endpoints.s3.accessKeyId, secretAccessKey: endpoints.s3.secretAccessKey },
    });
    const { text, ids } = ndjson();
    await s3.send(
      new PutObjectCommand({ Bucket: "hexarchive-jobs", Key: "imports/resume.ndjson", Body: text }),
    );
    s3.destroy();
    const started = await call(endpoints.api, "POST", "/admin/import", { key: "imports/resume.ndjson" });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    const id = started.json.id as string;
    // Killed once some items are in, long before all (a chunk of 1 KB holds one or two items).
    let atKill: { status: string; counts: { items?: number } } | undefined;
    for (let i = 0; i < 600; i++) {
      const job = (await call(endpoints.api, "GET", `/jobs/${id}`)).json;
      if ((job.counts?.items ?? 0) >= 20) {
        await kill();
        atKill = job;
        break;
      }
      await sleep(50);
    }
    expect(atKill?.status).toBe("running");
    expect(atKill!.counts.items).toBeLessThan(N / 2);
    endpoints = await start();
    let job: { status: string; error?: string; counts: Record<string, number> } | undefined;
    // Before jobs were resumed, the job stayed `running` at its checkpoint for ever.
    for (const until = Date.now() + 150_000; Date.now() < until; ) {
      job = (await call(endpoints.api, "GET", `/jobs/${id}`)).json;
      if (job!.status === "succeeded" || job!.status === "failed") break;
      await sleep(100);
    }
    expect(job?.status, job?.error).toBe("succeeded");
    expect(job!.counts).toMatchObject({ items: N, collections: 1, badLines: 0, lines: N + 1 });
    const found: string[] = [];
    let page = await call(endpoints.api, "POST", "/search", { collections: [C], limit: 100 });
    for (;;) {
      found.push(...page.json.features.map((f: StacItem) => f.id));
      const next = page.json.links.find((l: { rel: string }) => l.rel === "next");
      if (!next) break;
      page = await call(endpoints.api, "POST", "/search", next.body);
    }
    expect(found).toHaveLength(N);
    expect(found.sort()).toEqual([...ids].sort());
  }, 300_000);
});
