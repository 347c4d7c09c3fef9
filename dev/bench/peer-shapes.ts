// `npx tsx dev/bench/peer-shapes.ts [--items N] [--rounds R] [--dir DIR] [--out FILE.md]`: the issue-20
// comparison in one go, for an idle machine: `npm run bench -- --peer pgstac` on each shape (default,
// no-tiles, uniform) one after another, each on its own data directory, then one dated markdown file
// with the three side-by-side tables, the load rates, and a machine calibration (a fixed CPU loop's
// time, cores, CPU model, Node version, load averages) taken before, between and after the shapes.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { SHAPES } from "./generate.ts";
import type { PeerFigures } from "./peer.ts";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "1000000" },
    rounds: { type: "string", default: "30" },
    warmups: { type: "string", default: "3" },
    dir: { type: "string", default: "/tmp/hexarchive-peer-shapes" },
    out: { type: "string" },
  },
});

/** Median ms of a fixed integer loop (1e8 steps), five times: the machine's speed at that moment. */
function calibrate(): string {
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 100_000_000; i++) x = (x + i * 7) % 1_000_003;
    times.push(performance.now() - t0);
    if (x < 0) throw new Error("unreachable");
  }
  times.sort((a, b) => a - b);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return `loop of 1e8 steps: median ${times[2]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[4]!.toFixed(0)}); load average ${load}`;
}

const date = new Date().toISOString();
mkdirSync(args.dir, { recursive: true });
const out = args.out ?? join(args.dir, `peer-shapes-${date.slice(0, 10)}.md`);
const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
const md: string[] = [
  `# Side by side with pgstac on three shapes, ${date}`,
  "",
  `hexarchive ${commit}; ${args.items} items per shape; ${args.rounds} interleaved rounds after ${args.warmups} warm-ups, both through HTTP (\`pgstac-peer time\`).`,
  "",
  "## Machine",
  "",
  `- ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}`,
  `- calibration before: ${calibrate()}`,
];

const sections: string[] = [];
for (const shape of SHAPES) {
  const data = join(args.dir, shape);
  const json = join(args.dir, `${shape}.json`);
  const bench = [
    "run",
    "bench",
    "--silent",
    "--",
    "--peer",
    "pgstac",
    "--shape",
    shape,
    "--items",
    args.items,
    "--api-items",
    "0",
    "--no-bundle",
    "--data",
    data,
    "--peer-rounds",
    args.rounds,
    "--peer-warmups",
    args.warmups,
    "--json",
    json,
  ];
  process.stdout.write(`npm ${bench.join(" ")}\n`);
  const r = spawnSync("npm", bench, { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`the bench on shape ${shape} failed (${r.status})`);
  const { peer, ingest } = JSON.parse(readFileSync(json, "utf8")) as {
    peer: PeerFigures;
    ingest?: { itemsPerSecond?: number };
  };
  md.push(`- calibration after ${shape}: ${calibrate()}`);
  const cal = peer.calibration;
  const la = cal.loadAverage;
  sections.push(
    "",
    `## ${shape}`,
    "",
    `\`npm ${bench.join(" ")}\``,
    "",
    "| query | hexarchive p50 ms | pgstac p50 ms | ratio | paired ratio | returned hx/pg |",
    "|---|---|---|---|---|---|",
    ...peer.rows.map(
      (row) =>
        `| ${row.id} | ${row.hexarchiveP50Ms.toFixed(1)} | ${row.pgstacP50Ms.toFixed(1)} | ${row.ratio.toFixed(2)} | ${row.pairedRatio.toFixed(2)} | ${row.returned.hexarchive}/${row.returned.pgstac} |`,
    ),
    "",
    `Harness calibration: pg generate_series(1e6) ${cal.pgMs?.toFixed(0) ?? "-"} ms, python 1e6 loop ${cal.pythonMs?.toFixed(0) ?? "-"} ms (medians); 1-min load average ${la.length ? `${Math.min(...la).toFixed(1)}–${Math.max(...la).toFixed(1)}` : "-"}.`,
    `Load: hexarchive ${ingest?.itemsPerSecond?.toFixed(0) ?? "-"} items/s (streamed), pgstac ${peer.pgstacLoad?.itemsPerSecond.toFixed(0) ?? "-"} items/s.`,
  );
}
writeFileSync(out, `${[...md, ...sections].join("\n")}\n`);
process.stdout.write(`wrote ${out}\n`);
