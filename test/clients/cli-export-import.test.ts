// `hexarchive export` → `hexarchive import` into an empty second catalogue, through the real binary:
// the import is killed after its first checkpoint, resumed, and both catalogues then answer the same
// searches with the same items (the record dates `created`/`updated` aside: the archive sets them).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const BIN = resolve(__dirname, "../../cli/bin/hexarchive.mjs");
let source: TestStack;
let target: TestStack;
let work: string;

function env(api: string): NodeJS.ProcessEnv {
  const { user, password } = source.endpoints.auth.operator;
  return {
    PATH: process.env["PATH"],
    HOME: work,
    HEXARCHIVE_CONFIG: join(work, "no-config.json"),
    HEXARCHIVE_URL: api,
    HEXARCHIVE_USER: user,
    HEXARCHIVE_PASSWORD: password,
    HEXARCHIVE_BACKOFF_MS: "100",
  };
}

function cli(api: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: env(api), cwd: work, timeout: 90_000 },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  const access = parseAccessPolicy(undefined);
  [source, target] = await Promise.all([startTestStack({ access }), startTestStack({ access })]);
  await uploadSamples(source.s3, source.bucket);
  await source.settled();
  work = mkdtempSync(join(tmpdir(), "hexarchive-export-"));
}, 120_000);
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What a search shows of each item, without what the serving catalogue writes for itself. */
async function results(stack: TestStack, body: Record<string, unknown>) {
  const res = await stack.post("/search", { limit: 1000, ...body });
  expect(res.status).toBe(200);
  return res.body.features.map((f: Record<string, unknown>) => {
    const { created: _c, updated: _u, ...properties } = f["properties"] as Record<string, unknown>;
    const assets = Object.fromEntries(
      Object.entries(f["assets"] as Record<string, { href: string }>).map(([k, a]) => {
        const { "auth:refs": _r, ...rest } = a as Record<string, unknown>;
        return [k, rest];
      }),
    );
    return {
      id: f["id"],
      collection: f["collection"],
      geometry: f["geometry"],
      bbox: f["bbox"],
      properties,
      assets,
    };
  });
}

describe("hexarchive export and import", () => {
  it("round-trips a catalogue, resuming an import killed after its first batch", async () => {
    const file = join(work, "catalogue.ndjson");
    const exported = await cli(source.api, ["export", "-o", file, "--page-size", "3", "--json"]);
    expect(exported.code, exported.stderr).toBe(0);
    const summary = JSON.parse(exported.stdout);
    const lines = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.type === "Collection")).toHaveLength(summary.collections);
    expect(lines.filter((l) => l.type === "Feature")).toHaveLength(summary.items);
    expect(summary.items).toBe((await source.post("/search", { limit: 1 })).body.numberMatched);
    expect(readFileSync(file, "utf8")).not.toContain("signature=");

    // One item a batch, two a second: killed once the checkpoint shows some items done.
    const checkpoint = `${file}.checkpoint`;
    const child: ChildProcess = spawn(
      process.execPath,
      [BIN, "import", "--ndjson", file, "--batch", "1", "--rate", "2"],
      {
        env: env(target.api),
        cwd: work,
      },
    );
    const exited = new Promise((r) => child.on("exit", r));
    const deadline = Date.now() + 60_000;
    const done = () => (existsSync(checkpoint) ? JSON.parse(readFileSync(checkpoint, "utf8")).items : 0);
    while (done() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGKILL");
    await exited;
    const before = done();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(summary.items);

    const resumed = await cli(target.api, ["import", "--ndjson", file, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const r = JSON.parse(resumed.stdout);
    expect(r.resumedAfterLine).toBeGreaterThan(0);
    expect(r.items).toBe(summary.items);
    expect(r.thisRun).toBeLessThanOrEqual(summary.items - before + 1);
    expect(existsSync(checkpoint)).toBe(false);

    for (const body of [
      {},
      { collections: ["sentinel-2-l2a"] },
      { bbox: [12, 48, 19, 51] },
      { datetime: "2024-05-01T00:00:00Z/2024-06-30T23:59:59Z" },
    ]) {
      const want = await results(source, body);
      expect(want.length, JSON.stringify(body)).toBeGreaterThan(0);
      expect(await results(target, body), JSON.stringify(body)).toEqual(want);
    }
  }, 180_000);
});
