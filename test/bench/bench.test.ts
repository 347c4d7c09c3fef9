// `npm run bench` is not a test, but its figures are what the index is judged by: run it small, as a
// user would (a child process, its own emulator), and check that its correctness mode passes and that
// its --json figures are the shape the issue asks for and agree with each other.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadProgress, readLines } from "../../dev/bench/ndjson.ts";
import type { QueryFigures } from "../../dev/bench/run.ts";

interface Figures {
  items: number;
  shape: string;
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

const bench = async (args: string[]) =>
  (
    await promisify(execFile)("npx", ["tsx", "dev/bench/main.ts", "--no-bundle", ...args], {
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NODE_OPTIONS: "--openssl-legacy-provider" },
    })
  ).stdout;

beforeAll(async () => {
  const json = join(dir, "bench.json");
  // 1,500 items through BatchWriteItem and the rest through the emulator's bulk import: both load paths.
  const args = ["--correctness", "--items", "4000", "--api-items", "1500"];
  out = await bench([...args, "--random", "40", "--runs", "1", "--workers", "1", "--json", json]);
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

describe("npm run bench on a given NDJSON", () => {
  it("reads an NDJSON lazily: a chunk only once the lines before it are taken", async () => {
    const file = join(dir, "lazy.ndjson");
    // 200 lines of about 1 KB, in chunks of 4 KB: the file is 50 chunks long.
    writeFileSync(
      file,
      Array.from({ length: 200 }, (_, i) => `{"i":${i},"pad":"${"x".repeat(1000)}"}\n`).join(""),
    );
    const progress: ReadProgress = { bytesRead: 0 };
    const lines = readLines(file, progress, 4096);
    const first = await lines.next();
    expect(JSON.parse(first.value as string)).toMatchObject({ i: 0 });
    expect(progress.bytesRead).toBeLessThanOrEqual(4096);
    let n = 1;
    for await (const l of lines) expect(JSON.parse(l)).toMatchObject({ i: n++ });
    expect(n).toBe(200);
  });

  it("loads a written catalogue by streaming, ignores a query file's notes, and --no-load reports what the store holds", async () => {
    const [ndjson, data, queries] = [
      join(dir, "no-tiles.ndjson"),
      join(dir, "data"),
      join(dir, "queries.json"),
    ];
    await bench(["--shape", "no-tiles", "--items", "600", "--write-ndjson", ndjson]);
    const lines = readFileSync(ndjson, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(600);
    expect(lines.some((l) => /"grid:code"|"sat:/.test(l))).toBe(false);
    writeFileSync(
      queries,
      JSON.stringify({
        _about: "documentation, as the pgstac harness allows",
        point: { intersects: { type: "Point", coordinates: [14.42, 50.08] }, limit: 5, note: "Prague" },
        box: { bbox: [-10, 35, 30, 60], limit: 10, comment: "Europe", _why: "a box" },
        "box-p3": { base: "box", limit: 2, page: 3, note: "paged" },
      }),
    );
    const loaded = join(dir, "loaded.json");
    const given = [
      "--items-from",
      ndjson,
      "--queries",
      queries,
      "--data",
      data,
      "--runs",
      "1",
      "--workers",
      "1",
    ];
    const first = await bench([...given, "--correctness", "--random", "10", "--json", loaded]);
    expect(first).not.toContain("MISMATCH");
    const a = JSON.parse(readFileSync(loaded, "utf8")) as Figures;
    expect(a.correct).toBe(true);
    expect(a.items).toBe(600);
    expect(a.queries.map((q) => q.id)).toEqual(["point", "box", "box-p3"]);
    // Reusing the store without a load or --items: the 600 items it holds (it used to say 1,000,000).
    const [again, one] = [join(dir, "again.json"), join(dir, "one.json")];
    writeFileSync(
      one,
      JSON.stringify({ point: { intersects: { type: "Point", coordinates: [14.42, 50.08] } } }),
    );
    await bench(["--no-load", "--queries", one, "--data", data, "--json", again]);
    expect((JSON.parse(readFileSync(again, "utf8")) as Figures).items).toBe(600);
  });
});
