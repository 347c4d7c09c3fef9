// `npm run bench:ingest`: what reading a product costs, per kind. Not a test: it prints figures
// (and --json FILE). Run with --expose-gc for steadier memory figures.
//   --runs N  --json FILE
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { benchProducts, measureRead, type ReadFigures } from "./read-products.ts";

const { values: args } = parseArgs({
  options: { runs: { type: "string", default: "5" }, json: { type: "string" } },
});

const log = (s: string) => process.stdout.write(`${s}\n`);
const MiB = 1024 * 1024;
/** The issue's target: an 800 MB Sentinel-2 zip read with under 2 MB and under 10 requests. */
const TARGET = { kind: "S2 L1C zip, 800 MiB", bytes: 2 * MiB, requests: 10 };

async function main() {
  const runs = Math.max(1, Number(args.runs));
  const { products, skipped } = benchProducts();
  const figures: ReadFigures[] = [];
  for (const p of products) figures.push(await measureRead(p, runs));
  printTable(figures);
  for (const s of skipped) log(`skipped ${s.kind}: ${s.reason}`);
  const s2 = figures.find((f) => f.kind === TARGET.kind);
  const met = !!s2 && s2.bytesRead < TARGET.bytes && s2.requests < TARGET.requests;
  log(
    `target (800 MB S2 zip: < 2 MiB read, < 10 requests): ${met ? "met" : "NOT met"}${s2 ? ` (${fmtBytes(s2.bytesRead)}, ${s2.requests} requests)` : ""}`,
  );
  if (!(globalThis as { gc?: unknown }).gc)
    log("note: run with NODE_OPTIONS=--expose-gc for steadier RSS figures");
  if (args.json) {
    writeFileSync(
      args.json,
      `${JSON.stringify({ runs, products: figures, skipped, targetMet: met }, null, 2)}\n`,
    );
  }
}

function fmtBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function printTable(rows: ReadFigures[]) {
  const head = [
    "product",
    "archive",
    "collection",
    "requests",
    "rounds",
    "bytes read",
    "p50 ms",
    "max ms",
    "peak RSS Δ",
  ];
  const cells = rows.map((r) => [
    r.kind,
    fmtBytes(r.archiveBytes),
    r.collection,
    String(r.requests),
    String(r.rounds),
    fmtBytes(r.bytesRead),
    r.p50Ms.toFixed(1),
    r.maxMs.toFixed(1),
    fmtBytes(Math.max(0, r.peakRssDeltaBytes)),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  for (const line of [head, ...cells])
    log(line.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join("  "));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
