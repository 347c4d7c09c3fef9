import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import {
  type CataloguePair,
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

const cli = (api: string, args: string[]) => runCli(pair, args, cliEnv(pair, api));

beforeAll(async () => {
  pair = await startCataloguePair("hexarchive-geoparquet-");
  ({ source, target, work } = pair);
}, 120_000);
afterAll(() => pair?.close());

describe("hexarchive export and import as stac-geoparquet", () => {
  it("round-trips a catalogue through one stac-geoparquet file", async () => {
    const file = join(work, "catalogue.parquet");
    const exported = await cli(source.api, ["export", "--format", "geoparquet", "-o", file, "--json"]);
    expect(exported.code, exported.stderr).toBe(0);
    const summary = JSON.parse(exported.stdout);
    const parsed = await readStacGeoparquet(readFileSync(file));
    expect(parsed.items).toHaveLength(summary.items);
    expect(parsed.collections).toHaveLength(summary.collections);
    expect(summary.items).toBe((await source.post("/search", { limit: 1 })).body.numberMatched);

    const imported = await cli(target.api, ["import", "--geoparquet", file, "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).items).toBe(summary.items);
    expect(existsSync(`${file}.checkpoint`)).toBe(false);

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

  it("refuses --format geoparquet without a file, and a file that is not Parquet", async () => {
    const noFile = await cli(source.api, ["export", "--format", "geoparquet"]);
    expect(noFile.code).not.toBe(0);
    expect(noFile.stderr).toMatch(/-o/);
    const bad = join(work, "bad.parquet");
    writeFileSync(bad, "not parquet");
    const r = await cli(target.api, ["import", "--geoparquet", bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a stac-geoparquet file/);
  });
});
