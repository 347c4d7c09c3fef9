// `npm run bench` is not a test, but its figures are what the index is judged by: run it small, as a
// user would (a child process, its own emulator), and check that its correctness mode passes and that
// its --json figures are the shape the issue asks for and agree with each other.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QueryFigures } from "../../dev/bench/run.ts";

interface Figures {
  items: number;
  correct: boolean | null;
  queries: Omit<QueryFigures, "strategy">[];
  ingest: {
    itemsPerSecond: number;
    rowsPerItem: number;
    maxRowsPerItem: number;
    writeCapacityPerItem: number;
  };
}

const dir = mkdtempSync(join(tmpdir(), "hexarchive-bench-test-"));
let out = "";
let figures: Figures;

beforeAll(async () => {
  const json = join(dir, "bench.json");
  // 1,500 items through BatchWriteItem and the rest through the emulator's bulk import: both load paths.
  const args = ["tsx", "dev/bench/main.ts", "--correctness", "--items", "4000", "--api-items", "1500"];
  const run = await promisify(execFile)(
    "npx",
    [...args, "--random", "40", "--runs", "1", "--workers", "1", "--json", json],
    { maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: "--openssl-legacy-provider" } },
  );
  out = run.stdout;
  figures = JSON.parse(readFileSync(json, "utf8")) as Figures;
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run bench --correctness", () => {
  it("finds every query's results, all pages in order, equal to a brute-force filter", () => {
    expect(out).toContain("random searches");
    expect(out).not.toContain("MISMATCH");
    expect(figures.correct).toBe(true);
    expect(figures.items).toBe(4000);
  });

  it("writes the figures of Q1–Q8 and of the load, consistent with each other", () => {
    expect(figures.queries.map((q) => q.id)).toEqual(["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8"]);
    for (const q of figures.queries) {
      expect(q.results, q.id).toBeLessThanOrEqual(q.id === "Q1" ? 100 : 10);
      expect(q.precision, q.id).toBeCloseTo(q.rowsRead === 0 ? 1 : q.results / q.rowsRead, 9);
      // The fewest rows a single round could read are rows this search read.
      expect(q.leastRows, q.id).toBeLessThanOrEqual(q.rowsRead);
      expect(q.leastRows, q.id).toBeGreaterThanOrEqual(q.results > 0 ? 1 : 0);
      expect(q.leastPrecision, q.id).toBeGreaterThanOrEqual(q.precision);
      expect(q.rounds, q.id).toBeGreaterThanOrEqual(1);
      expect(q.p95Ms, q.id).toBeGreaterThanOrEqual(q.p50Ms);
      expect(q.cpuMs, q.id).toBeGreaterThan(0);
    }
    // Q1 (a point in the dense region, all time) always has results in the generated archive.
    expect(figures.queries[0]!.results).toBeGreaterThan(0);
    expect(figures.ingest.itemsPerSecond).toBeGreaterThan(0);
    expect(figures.ingest.rowsPerItem).toBeGreaterThan(1);
    expect(figures.ingest.maxRowsPerItem).toBeLessThanOrEqual(50);
    // Every row written costs at least one write unit, and so does the item record.
    expect(figures.ingest.writeCapacityPerItem).toBeGreaterThan(figures.ingest.rowsPerItem);
  });
});
