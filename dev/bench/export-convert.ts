// The stac-geoparquet export's conversion alone (shared/jobs/formats.ts), as the jobs function runs it:
// a spool of N generated items converted step by step, each step reading on from its spool offset (a file
// here, S3 there) and handing one part on; reports steps, the longest step, the process's peak RSS and
// the largest heap after a step, then checks the file (our reader: item count).
// Usage: tsx dev/bench/export-convert.ts --items 100000 [--rows 10000] [--part-mib 8] [--out FILE]
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { asyncBufferFromFile } from "hyparquet";
import { openStacGeoparquetFile } from "../../shared/export/geoparquet-read.ts";
import { GEOPARQUET_FORMAT } from "../../shared/jobs/formats.ts";
import { spoolLines } from "../../shared/jobs/spool-lines.ts";
import { generateItem } from "./generate.ts";

const { values } = parseArgs({
  options: {
    items: { type: "string", default: "100000" },
    rows: { type: "string", default: "10000" },
    "part-mib": { type: "string", default: "8" },
    out: { type: "string" },
  },
});
const n = Number(values.items);
const rows = Number(values.rows);
const partBytes = Number(values["part-mib"]) * 2 ** 20;
const dir = mkdtempSync(join(tmpdir(), "export-convert-"));
const spoolPath = join(dir, "spool.ndjson");
const outPath = values.out ?? join(dir, "out.parquet");

// The spool as the export's first phase writes it, its writer planning the columns.
const writer = GEOPARQUET_FORMAT.open();
const spool = createWriteStream(spoolPath);
for (let i = 0; i < n; i++) {
  const b = writer.items([generateItem(1, i).item]);
  if (!spool.write(b)) await new Promise<void>((r) => spool.once("drain", () => r()));
}
await new Promise<void>((r) => spool.end(() => r()));
const spoolBytes = spool.bytesWritten;

const out = createWriteStream(outPath);
let state = GEOPARQUET_FORMAT.convert!.begin(JSON.parse(JSON.stringify(writer.state())));
let at = 0;
const kept: string[] = [];
let steps = 0;
let longest = 0;
let heapPeak = 0;
const t0 = performance.now();
for (;;) {
  const s = performance.now();
  const r = await GEOPARQUET_FORMAT.convert!.step({
    state,
    at,
    lines:
      at < spoolBytes
        ? spoolLines(createReadStream(spoolPath, { start: at }), at)
        : (async function* () {})(),
    rows,
    partBytes,
    kept: async () => [...kept],
  });
  out.write(r.bytes);
  kept.push(r.kept);
  steps++;
  longest = Math.max(longest, performance.now() - s);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  if (r.done) break;
  at = r.read;
  state = JSON.parse(JSON.stringify(r.state));
}
await new Promise<void>((r) => out.end(() => r()));
const total = performance.now() - t0;
const file = await openStacGeoparquetFile(await asyncBufferFromFile(outPath));
const keptBytes = kept.reduce((a, k) => a + k.length, 0);
console.log(
  JSON.stringify({
    items: n,
    rows,
    partMiB: partBytes / 2 ** 20,
    spoolMiB: +(spoolBytes / 2 ** 20).toFixed(1),
    steps,
    longestStepMs: Math.round(longest),
    totalMs: Math.round(total),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    heapAfterStepPeakMiB: Math.round(heapPeak / 2 ** 20),
    keptKiB: Math.round(keptBytes / 1024),
    planStateBytes: JSON.stringify(writer.state()).length,
    fileMiB: +(statSync(outPath).size / 2 ** 20).toFixed(1),
    fileRows: file.rows,
  }),
);
if (!values.out) rmSync(dir, { recursive: true, force: true });
