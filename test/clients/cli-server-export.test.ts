// `hexarchive export --server` through the real binary against the local stack: the export runs as a
// background job on the server, the command reports its progress and downloads its file, which holds the
// same items as the export the CLI pages through itself (NDJSON to stdout, stac-geoparquet to a file).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const BIN = resolve(import.meta.dirname, "../../cli/bin/hexarchive.mjs");
let stack: TestStack;
let work: string;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { user, password } = stack.endpoints.auth.operator;
  const env = {
    PATH: process.env["PATH"],
    HOME: work,
    HEXARCHIVE_CONFIG: join(work, "no-config.json"),
    HEXARCHIVE_URL: stack.api,
    HEXARCHIVE_USER: user,
    HEXARCHIVE_PASSWORD: password,
  };
  return new Promise((done) =>
    execFile(
      process.execPath,
      [BIN, ...args],
      { env, cwd: work, timeout: 90_000, maxBuffer: 64 * 2 ** 20 },
      (err, stdout, stderr) =>
        done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  stack = await startTestStack({ access: parseAccessPolicy(undefined) });
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
  work = mkdtempSync(join(tmpdir(), "hexarchive-server-export-"));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const ids = (items: { id: string; collection?: string }[]) => items.map((i) => `${i.collection}/${i.id}`);

describe("hexarchive export --server", () => {
  it("runs the export as a job, shows its progress, and downloads the same items as a client export", async () => {
    const matched = (await stack.post("/search", { limit: 1 })).body.numberMatched as number;
    expect(matched).toBeGreaterThan(0);

    const here = join(work, "here.parquet");
    const local = await cli(["export", "--format", "geoparquet", "-o", here]);
    expect(local.code, local.stderr).toBe(0);
    const served = join(work, "served.parquet");
    const job = await cli([
      "export",
      "--server",
      "--format",
      "geoparquet",
      "-o",
      served,
      "--poll",
      "0.1",
      "--json",
    ]);
    expect(job.code, job.stderr).toBe(0);
    expect(job.stderr).toMatch(/^export job \S+ (queued|running)/m);
    expect(job.stderr).toMatch(/^export job \S+ succeeded: \d+ items, \d+ bytes$/m);
    const summary = JSON.parse(job.stdout);
    expect(summary).toMatchObject({ items: matched, output: served });
    expect(existsSync(`${served}.part`)).toBe(false);
    const a = await readStacGeoparquet(readFileSync(here));
    const b = await readStacGeoparquet(readFileSync(served));
    expect(b.items).toHaveLength(matched);
    expect(ids(b.items)).toEqual(ids(a.items));
    expect(b.collections.map((c) => c.id).sort()).toEqual(a.collections.map((c) => c.id).sort());
    for (const [i, item] of b.items.entries()) {
      expect(item.geometry).toEqual(a.items[i]!.geometry);
      expect(item.properties).toEqual(a.items[i]!.properties);
    }

    // NDJSON to stdout: the collections, then every item, as the client export writes them.
    const ndjson = await cli(["export", "--server", "-c", "sentinel-2-l2a", "--poll", "0.1"]);
    expect(ndjson.code, ndjson.stderr).toBe(0);
    const lines = ndjson.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: "Collection", id: "sentinel-2-l2a" });
    const wanted = (await stack.post("/search", { collections: ["sentinel-2-l2a"], limit: 1 })).body
      .numberMatched;
    expect(lines.filter((l) => l.type === "Feature")).toHaveLength(wanted);
  }, 180_000);

  it("refuses what a job cannot do: a limit, or geoparquet without a file", async () => {
    const limited = await cli(["export", "--server", "-n", "5"]);
    expect(limited.code).toBe(2);
    expect(limited.stderr).toMatch(/--limit does not apply to --server/);
    const noFile = await cli(["export", "--server", "--format", "geoparquet"]);
    expect(noFile.code).toBe(2);
  });
});
