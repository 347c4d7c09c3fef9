// `npm run bench`: loads a seeded synthetic archive (or given items) into the local stack and measures
// the search queries, ingest and the API bundle. Not a test: it prints figures (and --json FILE).
//   --items N (1,000,000; with --correctness 50,000)  --seed S  --runs R  --json FILE  --correctness
//   --items-from FILE.ndjson (streamed: any size, bounded memory)  --queries FILE.json (ids and keys
//   starting with _, and note/comment keys, are documentation)
//   --shape default|no-tiles|uniform (generate.ts SHAPES)  --write-ndjson FILE (write the generated
//   catalogue as NDJSON, e.g. for pgstac, and stop)
//   --peer pgstac: side by side with pgstac on the same data (peer.ts): the generated catalogue is
//   written to DIR/SHAPE.ndjson and loaded from there (or --items-from is), pgstac loads it too
//   (not with --peer-loaded), then the harness times both through HTTP interleaved and the bench prints
//   per query both p50s and their ratio. --peer-tool PATH (../shared/peers/pgstac/pgstac-peer)
//   --peer-rounds R (30) --peer-warmups W (3) --peer-keep (leave the pgstac cluster running);
//   its default query set is queries.ts peerQueries (Q8: page 50 of every item)
//   --no-bundle (skip the API bundle's size and init time)
//   --random N: with --correctness, N seeded random searches are compared with brute force too (200)
//   --workers W (threads computing covers while loading; default 1)
//   dynalite runs in a child process: the emulator and the loader use different cores
//   --data DIR (keep the emulator's data there) --no-load (reuse DIR loaded by an earlier run)
//   --api-items N: the first N items go through BatchWriteItem (default 20000; all with --load api),
//   the rest through the emulator's bulk import (the local analogue of DynamoDB ImportTable)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { intersects } from "../../shared/geo/geometry.ts";
import type { ItemSummary } from "../../shared/index/rows.ts";
import { measureApiBundle } from "./bundle.ts";
import { startBenchDynamo } from "./emulator.ts";
import { generateItem, isShape, SHAPES } from "./generate.ts";
import { type Builder, type IngestFigures, loadArchive, workerBuilder } from "./load.ts";
import { loadNdjson, type NdjsonFigures } from "./load-ndjson.ts";
import { countLines, writeNdjson } from "./ndjson.ts";
import { type PeerFigures, peerTable, sideBySide } from "./peer.ts";
import {
  type BenchQuery,
  defaultQueries,
  peerQueries,
  RANDOM_PAGES,
  randomQueries,
  resolveQueries,
} from "./queries.ts";
import { allPages, bruteForce, measureQuery, type QueryFigures, WARM_UP, warmUp } from "./run.ts";

/** Untimed runs of the warm-up searches before the measured ones (run.ts WARM_UP). */
const WARM_UP_RUNS = 20;

const { values: args } = parseArgs({
  options: {
    items: { type: "string" },
    seed: { type: "string", default: "7" },
    runs: { type: "string", default: "20" },
    json: { type: "string" },
    correctness: { type: "boolean", default: false },
    "items-from": { type: "string" },
    workers: { type: "string", default: "2" },
    load: { type: "string", default: "import" },
    "api-items": { type: "string", default: "20000" },
    data: { type: "string" },
    "no-load": { type: "boolean", default: false },
    queries: { type: "string" },
    random: { type: "string", default: "200" },
    shape: { type: "string", default: "default" },
    "write-ndjson": { type: "string" },
    peer: { type: "string" },
    "peer-tool": { type: "string", default: "../shared/peers/pgstac/pgstac-peer" },
    "peer-rounds": { type: "string", default: "30" },
    "peer-warmups": { type: "string", default: "3" },
    "peer-loaded": { type: "boolean", default: false },
    "peer-keep": { type: "boolean", default: false },
    "no-bundle": { type: "boolean", default: false },
  },
});

const log = (s: string) => process.stdout.write(`${s}\n`);

async function main() {
  const seed = Number(args.seed);
  const shape = args.shape;
  if (!isShape(shape)) throw new Error(`--shape is one of ${SHAPES.join(", ")}`);
  const generatedShape = shape;
  if (args.peer !== undefined && args.peer !== "pgstac") throw new Error("--peer is pgstac");
  let count = Number(args.items ?? (args.correctness ? 50_000 : 1_000_000));
  const generated = (i: number) => generateItem(seed, i, shape).item;
  if (args["write-ndjson"]) {
    const t0 = performance.now();
    await writeNdjson(args["write-ndjson"], count, generated);
    log(
      `wrote ${count} items of shape ${shape} to ${args["write-ndjson"]} in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    return;
  }
  const queries: BenchQuery[] = args.queries
    ? resolveQueries(JSON.parse(readFileSync(args.queries, "utf8")))
    : args.peer
      ? peerQueries()
      : defaultQueries();

  const dataDir = args.data ?? mkdtempSync(join(tmpdir(), "hexarchive-bench-"));
  // Side by side, both systems load one file: the generated catalogue is written out first.
  let itemsFrom = args["items-from"];
  if (args.peer && !itemsFrom) {
    itemsFrom = join(dataDir, `${shape}.ndjson`);
    if (!args["no-load"]) {
      mkdirSync(dataDir, { recursive: true });
      await writeNdjson(itemsFrom, count, generated);
      log(`wrote ${count} items of shape ${shape} to ${itemsFrom}`);
    }
  }
  if (itemsFrom) count = await countLines(itemsFrom);
  // Only the catalogue table is measured: dynalite alone, in a child process (its own core).
  const stack = await startBenchDynamo(dataDir);
  let peer: PeerFigures | undefined;
  try {
    const summaries: ItemSummary[] = [];
    let ingest: IngestFigures | undefined;
    if (!args["no-load"]) ingest = await load();
    async function load(): Promise<IngestFigures> {
      log(`loading ${itemsFrom ? `${itemsFrom} (${count} lines)` : `${count} items`} …`);
      const t0 = performance.now();
      let shown = 0;
      if (args.load !== "import" && args.load !== "api") throw new Error("--load is import or api");
      const options = {
        ...(args.correctness ? { keep: (s: ItemSummary) => summaries.push(s) } : {}),
        progress: (d: number) => {
          if (d - shown < count / 10) return;
          shown = d;
          log(`  ${d} items, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
        },
        ...(args.load === "import" ? { importer: stack.importer, apiItems: Number(args["api-items"]) } : {}),
      };
      // A given file goes through the bulk module (`npm run load`'s); generated items are built in
      // worker threads and written by loadArchive.
      const ingest = itemsFrom
        ? await loadNdjson(stack.catalogue, itemsFrom, {
            ...options,
            workers: Number(args.workers),
            onBad: (line, reason) => log(`  ${itemsFrom}:${line}: ${reason} (not loaded)`),
          })
        : await withWorkers((build) => loadArchive(stack.catalogue, count, build, options));
      log(
        `ingest: ${ingest.items} items in ${ingest.seconds.toFixed(0)} s = ${ingest.itemsPerSecond.toFixed(0)} items/s` +
          (ingest.apiItems < ingest.items
            ? ` (first ${ingest.apiItems} through BatchWriteItem at ${ingest.apiItemsPerSecond?.toFixed(0) ?? "-"} items/s, the rest by bulk import)`
            : " (all through BatchWriteItem)") +
          (isNdjson(ingest)
            ? `; through the bulk module: ${ingest.collections} collections created, ${ingest.badLines} bad lines`
            : ""),
      );
      log(
        `  ${ingest.rowsPerItem.toFixed(2)} rows/item (max ${ingest.maxRowsPerItem}), ${ingest.writeCapacityPerItem.toFixed(2)} WCU/item`,
      );
      log(
        `  rows/item by class: ${Object.entries(ingest.rowsPerItemByClass)
          .map(([k, v]) => `${k} ${v.toFixed(2)}`)
          .join(", ")}`,
      );
      return ingest;
    }
    /** Generated items are built (covers computed) in worker threads. */
    async function withWorkers<T>(run: (build: Builder) => Promise<T>): Promise<T> {
      const workers = workerBuilder(Number(args.workers), { seed, shape: generatedShape });
      try {
        return await run(workers.build);
      } finally {
        await workers.close();
      }
    }
    // What the store holds (a --no-load run reuses a store loaded earlier, of any size).
    const held = await stack.countItems();
    log(`the store holds ${held} items`);

    let correct: boolean | undefined;
    if (args.correctness) {
      // Every page of each query, in order, against brute force; then seeded random searches (their
      // first RANDOM_PAGES pages).
      const same = async (q: BenchQuery, maxPages?: number) => {
        const { items, complete, refused } = await allPages(stack.catalogue, q, maxPages);
        const got = items.map((i) => `${i.collection}/${i.id}`);
        const want = bruteForce(summaries, q, intersects as never);
        const ok = got.join() === (complete ? want : want.slice(0, got.length)).join();
        return { got, want, ok, refused: refused === true };
      };
      correct = true;
      for (const q of queries) {
        const { got, want, ok } = await same(q);
        log(
          `  ${q.id}${q.page ? ` (all pages of limit ${String(q.body["limit"] ?? 10)})` : ""}: ${got.length} results, brute force ${want.length}, in order: ${ok ? "ok" : "MISMATCH"}`,
        );
        correct &&= ok;
      }
      const random = randomQueries(Number(args.seed), Number(args.random));
      let failed = 0;
      let paged = 0;
      let refused = 0;
      for (const q of random) {
        const { got, ok, refused: no } = await same(q, RANDOM_PAGES);
        refused += no ? 1 : 0;
        if (!ok) log(`  ${q.id} MISMATCH: ${JSON.stringify(q.body)}`);
        failed += ok ? 0 : 1;
        if (got.length > Number(q.body["limit"])) paged++;
      }
      log(
        `  ${random.length} random searches (${paged} of several pages, ${refused} refused as the API refuses a filter on a property not queryable there), up to ${RANDOM_PAGES} pages each, in order: ${failed === 0 ? "ok" : `${failed} MISMATCHES`}`,
      );
      correct &&= failed === 0;
      log(`correct: ${correct}`);
    }

    const figures: QueryFigures[] = [];
    if (args.peer) {
      // Through HTTP on a local stack, which needs the data directory: the bench's emulator lets go of it.
      await stack.close();
      peer = await sideBySide({
        tool: resolve(args["peer-tool"]),
        dataDir,
        ndjson: itemsFrom!,
        items: count,
        load: !args["peer-loaded"],
        queries,
        rounds: Number(args["peer-rounds"]),
        warmups: Number(args["peer-warmups"]),
        stop: !args["peer-keep"],
        log,
      });
      for (const l of peerTable(shape, peer)) log(l);
      if (ingest)
        log(
          `load: hexarchive ${ingest.itemsPerSecond.toFixed(0)} items/s (streamed from the NDJSON), pgstac ${peer.pgstacLoad?.itemsPerSecond.toFixed(0) ?? "-"} items/s`,
        );
      if (args.json)
        writeFileSync(
          args.json,
          `${JSON.stringify({ items: held, shape, ingest: ingest && ingestJson(ingest), peer }, null, 2)}\n`,
        );
      return;
    }
    const runs = args.correctness ? 3 : Math.max(20, Number(args.runs));
    await warmUp(stack.catalogue, WARM_UP_RUNS);
    log(`warm-up: ${WARM_UP_RUNS} runs of ${WARM_UP.length} searches no query reads (untimed)`);
    for (const q of queries) figures.push(await measureQuery(stack.catalogue, q, runs, stack.timeline));
    printTable(figures);
    printCountCost(figures);
    if (args.correctness) {
      // An exact count is the brute-force total; an estimate is at least the matches it counted.
      const wrong = figures.filter((f) => {
        const want = bruteForce(summaries, queries.find((q) => q.id === f.id)!, intersects as never).length;
        return f.count.exact && f.count.matched !== want;
      });
      log(
        `counts: ${figures.filter((f) => f.count.exact).length} exact, equal to brute force: ${wrong.length === 0 ? "ok" : `COUNT MISMATCH in ${wrong.map((f) => f.id).join(", ")}`}`,
      );
      correct &&= wrong.length === 0;
    }
    const bundle = args["no-bundle"] ? undefined : await measureApiBundle();
    if (bundle)
      log(
        `API bundle: ${(bundle.bytes / 1024).toFixed(0)} KiB with the AWS SDK, ${(bundle.bytesWithoutSdk / 1024).toFixed(0)} KiB without (deployed); init (import in a fresh process, median of ${bundle.initRunsMs.length}) ${bundle.initMs.toFixed(0)} ms`,
      );

    if (args.json) {
      const out = {
        items: held,
        shape,
        correct: correct ?? null,
        queries: figures.map(({ strategy: _s, ...f }) => f),
        ingest: ingest && ingestJson(ingest),
        bundle: bundle ?? null,
      };
      writeFileSync(args.json, `${JSON.stringify(out, null, 2)}\n`);
    }
  } finally {
    if (!peer) await stack.close();
    if (!args.data) rmSync(dataDir, { recursive: true, force: true });
  }
}

const isNdjson = (i: IngestFigures): i is NdjsonFigures => "badLines" in i;

const ingestJson = (ingest: IngestFigures) => ({
  items: ingest.items,
  itemsPerSecond: ingest.itemsPerSecond,
  loadSeconds: ingest.seconds,
  apiItems: ingest.apiItems,
  apiItemsPerSecond: ingest.apiItemsPerSecond ?? null,
  rowsPerItem: ingest.rowsPerItem,
  maxRowsPerItem: ingest.maxRowsPerItem,
  writeCapacityPerItem: ingest.writeCapacityPerItem,
  ...(isNdjson(ingest) ? { badLines: ingest.badLines, collections: ingest.collections } : {}),
});

/** What counting adds (the count read of count.ts, on top of each query's page), averaged over the queries. */
function printCountCost(rows: QueryFigures[]) {
  const mean = (f: (r: QueryFigures) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  const exact = rows.filter((r) => r.count.exact).length;
  log(
    `count: per query, without ${mean((r) => r.rowsRead).toFixed(0)} rows / ${mean((r) => r.readCapacity).toFixed(1)} RCU,` +
      ` with ${mean((r) => r.rowsRead + r.count.rowsRead).toFixed(0)} rows / ${mean((r) => r.readCapacity + r.count.readCapacity).toFixed(1)} RCU` +
      ` (the count read: ${mean((r) => r.count.rowsRead).toFixed(0)} rows, ${mean((r) => r.count.requests).toFixed(1)} requests, ${mean((r) => r.count.ms).toFixed(1)} ms); exact for ${exact} of ${rows.length}`,
  );
}

function printTable(rows: QueryFigures[]) {
  const head = [
    "query",
    "plan",
    "results",
    "rows read",
    "precision",
    "least rows/prec",
    "requests",
    "rounds",
    "measured",
    "RCU",
    "+inputs req/RCU",
    "p50 ms",
    "p95 ms",
    "first ms",
    "cpu ms",
    "count rows/req/RCU",
    "matched",
    "count ms",
  ];
  const cells = rows.map((r) => [
    r.id,
    r.strategy,
    String(r.results),
    String(r.rowsRead),
    r.precision.toFixed(2),
    `${r.leastRows}/${r.leastPrecision.toFixed(2)}`,
    String(r.requests),
    String(r.rounds),
    String(r.measuredRounds),
    r.readCapacity.toFixed(1),
    `${r.planInputRequests}/${r.planInputReadCapacity.toFixed(1)}`,
    r.p50Ms.toFixed(1),
    r.p95Ms.toFixed(1),
    r.firstMs.toFixed(1),
    r.cpuMs.toFixed(1),
    `${r.count.rowsRead}/${r.count.requests}/${r.count.readCapacity.toFixed(1)}`,
    `${r.count.exact ? "" : "~"}${r.count.matched}`,
    r.count.ms.toFixed(1),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  for (const line of [head, ...cells]) log(line.map((c, i) => c.padStart(w[i]!)).join("  "));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
