// `hexarchive import --server` through the real binary against the local stack: the file is uploaded
// through a presigned PUT and written by a background job on the server; the command, killed while it
// waits and run again, follows the same job (no second upload, no second import) and ends with exactly
// the file's good items, its bad line reported by number with exit code 3.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const BIN = resolve(import.meta.dirname, "../../cli/bin/hexarchive.mjs");
let stack: TestStack;
let work: string;

function env() {
  const { user, password } = stack.endpoints.auth.operator;
  return {
    PATH: process.env["PATH"],
    HOME: work,
    HEXARCHIVE_CONFIG: join(work, "no-config.json"),
    HEXARCHIVE_URL: stack.api,
    HEXARCHIVE_USER: user,
    HEXARCHIVE_PASSWORD: password,
  };
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: env(), cwd: work, timeout: 180_000, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  stack = await startTestStack({ access: parseAccessPolicy(undefined) });
  work = mkdtempSync(join(tmpdir(), "hexarchive-server-import-"));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const N = 800;
const BAD_LINE = 402;

/** A collection, then N items over Europe and 2024, with one line that is not JSON. */
function dump(collection: string): string {
  const lines = [JSON.stringify(makeCollection(collection, "Server import", "test", []))];
  for (let i = 0; i < N; i++) {
    if (lines.length + 1 === BAD_LINE) lines.push("{not json");
    const item = makeItem({
      id: `si-${i}`,
      collection,
      lon: -10 + (i % 50) * 0.8,
      lat: 36 + Math.floor(i / 50) * 0.7,
      size: 0.3,
      datetime: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
    });
    lines.push(JSON.stringify({ ...item, bbox: bboxOf(item.geometry as never) }));
  }
  return `${lines.join("\n")}\n`;
}

function bboxOf(g: { coordinates: number[][][] }): number[] {
  const ring = g.coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

async function idsIn(collection: string): Promise<string[]> {
  const ids: string[] = [];
  let page = await stack.post("/search", { collections: [collection], limit: 500 });
  for (;;) {
    ids.push(...(page.body.features as { id: string }[]).map((f) => f.id));
    const next = (page.body.links as { rel: string; body?: unknown }[]).find((l) => l.rel === "next");
    if (!next) return ids;
    page = await stack.post("/search", next.body);
  }
}

describe("hexarchive import --server", () => {
  it("uploads, imports as a job, and a rerun after a kill follows that job to an exact end", async () => {
    const file = join(work, "dump.ndjson");
    writeFileSync(file, dump("server-import"));
    const state = `${file}.server-import`;

    // The first run is killed once it has started the job (its URL is in the checkpoint file).
    const first = spawn(process.execPath, [BIN, "import", "--server", "--ndjson", file, "--poll", "0.2"], {
      env: env(),
      cwd: work,
    });
    let firstErr = "";
    first.stderr.on("data", (d) => {
      firstErr += d;
    });
    const t0 = Date.now();
    while (!existsSync(state) && Date.now() - t0 < 60_000 && first.exitCode === null)
      await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(state), firstErr).toBe(true);
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    expect(firstErr).toMatch(/^uploading .*dump\.ndjson .* to imports\/operator\/\S+\.ndjson$/m);

    const again = await cli(["import", "--server", "--ndjson", file, "--poll", "0.2", "--json"]);
    expect(again.stderr).toMatch(/^following job \S+\/jobs\/\S+ \(started for /m);
    expect(again.stderr).not.toMatch(/uploading/);
    expect(again.stderr).toContain(`line ${BAD_LINE}: `);
    expect(again.code, again.stderr).toBe(3);
    const summary = JSON.parse(again.stdout);
    expect(summary).toMatchObject({ items: N, collections: 1, badLines: 1 });
    expect(summary.firstBadLines[0].line).toBe(BAD_LINE);
    expect(existsSync(state)).toBe(false);

    const ids = await idsIn("server-import");
    expect(ids).toHaveLength(N);
    expect(new Set(ids).size).toBe(N);
  }, 300_000);

  it("refuses flags that do not apply, and users who are not operators", async () => {
    const file = join(work, "small.ndjson");
    writeFileSync(file, `${JSON.stringify(makeCollection("x", "x", "x", []))}\n`);
    const rate = await cli(["import", "--server", "--ndjson", file, "--rate", "5"]);
    expect(rate.code).toBe(2);
    expect(rate.stderr).toContain("--rate does not apply to --server");
    const both = await cli(["import", "--key", "imports/a.ndjson", "--ndjson", file]);
    expect(both.code).toBe(2);
    // A checkpoint of another kind (a client-side import's progress) is not taken for a job to follow.
    writeFileSync(`${file}.server-import`, JSON.stringify({ line: 3, collections: 0, items: 2 }));
    const foreign = await cli(["import", "--server", "--ndjson", file]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("is not a server import's checkpoint");
    rmSync(`${file}.server-import`);
    const { user, password } = stack.endpoints.auth;
    const denied = await new Promise<number>((done) =>
      execFile(
        process.execPath,
        [BIN, "import", "--server", "--ndjson", file],
        { env: { ...env(), HEXARCHIVE_USER: user, HEXARCHIVE_PASSWORD: password }, cwd: work },
        (err) => done(err ? ((err as { code?: number }).code ?? 1) : 0),
      ),
    );
    expect(denied).toBe(4);
  }, 120_000);
});
