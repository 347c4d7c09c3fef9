// `npm run gaps` against the local stack with the sample products: an upstream list with extras and
// omissions, reported per day and tile exactly, as a table and as JSON; bad input exits 2 naming it.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const HELD_UVR = "S2A_MSIL2A_20240514T100631_N0510_R051_T33UVR_20240514T122331";
const HELD_UWR = "S2B_MSIL2A_20240602T100019_N0510_R051_T33UWR_20240602T121719";
const EXTRA_UVR = "S2A_MSIL2A_20240524T100601_N0510_R051_T33UVR_20240524T122301";
const EXTRA_UWR = "S2B_MSIL2A_20240612T100019_N0510_R051_T33UWR_20240612T121719";
let stack: TestStack;
let dir: string;

async function npm(...args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, HEXARCHIVE_DATA_DIR: dirname(stack.endpoints.deadLetterFile), INIT_CWD: dir };
  return run("npm", ["--prefix", ROOT, "run", "--silent", "gaps", "--", ...args], {
    env,
    cwd: dir,
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, out: r.stdout }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: `${e.stdout}${e.stderr}`,
    }),
  );
}

beforeAll(async () => {
  stack = await startTestStack();
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
  dir = mkdtempSync(join(tmpdir(), "hexarchive-gaps-"));
  // The upstream has two products this catalogue lacks and lacks one it holds (HELD_UWR).
  writeFileSync(
    join(dir, "upstream.csv"),
    `name,size\n${HELD_UVR}.SAFE,1\n${EXTRA_UVR}.SAFE,2\n${EXTRA_UWR}.SAFE,3\n`,
  );
}, 120_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await stack?.close();
});

describe("npm run gaps", () => {
  it("reports per day and tile what is missing here and what only this catalogue holds", async () => {
    const r = await npm(
      "--collection",
      "sentinel-2-l2a",
      "--upstream",
      "upstream.csv",
      "--from",
      "2024-05-01",
      "--to",
      "2024-06-30",
      "--json",
    );
    expect(r.code, r.out).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ collection: "sentinel-2-l2a", upstream: 3, index: 2, cells: [] });
    expect(report.rows).toEqual([
      { day: "2024-05-14", tile: "T33UVR", upstream: 1, index: 1, missing: 0, onlyLocal: 0 },
      { day: "2024-05-24", tile: "T33UVR", upstream: 1, index: 0, missing: 1, onlyLocal: 0 },
      { day: "2024-06-02", tile: "T33UWR", upstream: 0, index: 1, missing: 0, onlyLocal: 1 },
      { day: "2024-06-12", tile: "T33UWR", upstream: 1, index: 0, missing: 1, onlyLocal: 0 },
    ]);
    expect(report.missing).toEqual([EXTRA_UVR, EXTRA_UWR]);
    expect(report.onlyLocal).toEqual([HELD_UWR]);

    // Without a range: the collection's two other samples (March and January) are only here too.
    const table = await npm("--collection", "sentinel-2-l2a", "--upstream", "upstream.csv");
    expect(table.code, table.out).toBe(0);
    expect(table.out).toMatch(/^sentinel-2-l2a: 3 upstream, 4 in the index, 2 missing here, 3 only here$/m);
    expect(table.out).toMatch(/^2024-05-24 +T33UVR +1 +0 +1 +0$/m);
  }, 120_000);

  it("with --with-bucket, counts the bucket's products that are not indexed (a failed upload)", async () => {
    await stack.s3.send(
      new PutObjectCommand({ Bucket: stack.bucket, Key: `uploads/${EXTRA_UVR}.SAFE.zip`, Body: "not a zip" }),
    );
    await stack.settled();
    const r = await npm(
      "--collection",
      "sentinel-2-l2a",
      "--upstream",
      "upstream.csv",
      "--with-bucket",
      "--json",
    );
    expect(r.code, r.out).toBe(0);
    const report = JSON.parse(r.out);
    expect([report.bucket, report.notIndexed, report.notInBucket]).toEqual([5, [EXTRA_UVR], []]);
    expect(report.rows.find((x: { day: string }) => x.day === "2024-05-24")).toEqual({
      day: "2024-05-24",
      tile: "T33UVR",
      upstream: 1,
      index: 0,
      missing: 1,
      onlyLocal: 0,
      bucket: 1,
      notIndexed: 1,
      notInBucket: 0,
    });
  }, 120_000);

  it("exits 2 naming bad input", async () => {
    const noCollection = await npm("--collection", "nope", "--upstream", "upstream.csv");
    expect([noCollection.code, noCollection.out]).toEqual([2, expect.stringMatching(/no collection 'nope'/)]);
    const badDay = await npm("--collection", "sentinel-2-l2a", "--upstream", "upstream.csv", "--from", "May");
    expect([badDay.code, badDay.out]).toEqual([2, expect.stringMatching(/'--from' must be a day/)]);
  }, 120_000);
});
