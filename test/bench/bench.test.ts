// `npm run bench` is not a test, but its figures are what the index is judged by: run it small, as a
// user would (a child process, its own emulator), and check that its correctness mode passes and that
// its --json figures are the shape the issue asks for and agree with each other.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBenchDynamo } from "../../dev/bench/emulator.ts";
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
  writeFileSync(
    join(dir, "one-point.json"),
    JSON.stringify({ point: { intersects: { type: "Point", coordinates: [14.42, 50.08] } } }),
  );
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
  it("loads a given NDJSON through the bulk module: its collections as written, bad lines reported, only items counted", async () => {
    const [file, data, json] = [
      join(dir, "export.ndjson"),
      join(dir, "export-data"),
      join(dir, "export.json"),
    ];
    // As `hexarchive export` writes a catalogue: the collection first, then its items; one line broken.
    const collection = {
      type: "Collection",
      stac_version: "1.0.0",
      id: "given",
      title: "Given by an export",
      description: "A collection that the file describes",
      license: "CC-BY-4.0",
      extent: { spatial: { bbox: [[10, 40, 20, 50]] }, temporal: { interval: [[null, null]] } },
      links: [],
    };
    const items = Array.from({ length: 30 }, (_, i) => ({
      type: "Feature",
      stac_version: "1.0.0",
      id: `given-${i}`,
      collection: "given",
      geometry: { type: "Point", coordinates: [10 + i / 10, 45] },
      bbox: [10 + i / 10, 45, 10 + i / 10, 45],
      properties: { datetime: `2024-05-${String(1 + (i % 28)).padStart(2, "0")}T10:00:00Z` },
      links: [],
      assets: {},
    }));
    const lines = [collection, ...items].map((x) => JSON.stringify(x));
    lines.splice(5, 0, "{ not json");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const out = await bench([
      "--items-from",
      file,
      "--queries",
      join(dir, "one-point.json"),
      "--data",
      data,
      "--runs",
      "1",
      "--workers",
      "1",
      "--json",
      json,
    ]);
    expect(out).toContain(`${file}:6: not JSON`);
    const f = JSON.parse(readFileSync(json, "utf8")) as Figures & {
      ingest: { items: number; badLines: number; collections: number };
    };
    // Items written, not lines read (the collection and the broken line are not items).
    expect(f.items).toBe(30);
    expect(f.ingest).toMatchObject({ items: 30, badLines: 1, collections: 1 });
    expect(f.ingest.writeCapacityPerItem).toBeGreaterThan(f.ingest.rowsPerItem);
    // The collection as the file describes it, not a bare one named after the items.
    const stack = await startBenchDynamo(data);
    try {
      const c = await stack.catalogue.getCollection("given");
      expect(c?.collection.title).toBe("Given by an export");
      expect(c?.collection.license).toBe("CC-BY-4.0");
    } finally {
      await stack.close();
    }
  }, 180_000);

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
  }, 180_000);
});
