// `hexarchive export` → `hexarchive import` into an empty second catalogue, through the real binary:
// the import is killed after its first checkpoint, resumed, and both catalogues then answer the same
// searches with the same items (the record dates `created`/`updated` aside: the archive sets them).
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CataloguePair,
  CLI_BIN,
  cliEnv,
  comparableResults,
  runCli,
  startCataloguePair,
} from "../support/catalogue-pair.ts";
import type { TestStack } from "../support/stack.ts";

let pair: CataloguePair;
let source: TestStack;
let target: TestStack;
let work: string;

const env = (api: string) => cliEnv(pair, api);
const cli = (api: string, args: string[]) => runCli(pair, args, env(api));

beforeAll(async () => {
  pair = await startCataloguePair("hexarchive-export-");
  ({ source, target, work } = pair);
}, 120_000);
afterAll(() => pair?.close());

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
      [CLI_BIN, "import", "--ndjson", file, "--batch", "1", "--rate", "2"],
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
      const want = await comparableResults(source, body);
      expect(want.length, JSON.stringify(body)).toBeGreaterThan(0);
      expect(await comparableResults(target, body), JSON.stringify(body)).toEqual(want);
    }
  }, 180_000);
});
