// `npm run faults -- --uploads 10000 --kills 10 [--seed N] [--keys N]`: the fault harness at scale;
// prints the counts and exits non-zero when anything was lost, duplicated, stale or a ghost.
import { parseArgs } from "node:util";
import { runFaults } from "./harness.ts";

const { values } = parseArgs({
  options: {
    uploads: { type: "string", default: "10000" },
    kills: { type: "string", default: "10" },
    seed: { type: "string", default: "16" },
    keys: { type: "string" },
    concurrency: { type: "string", default: "8" },
    /** Queue settings as JSON, e.g. '{"visibilityTimeoutMs":5000}' (the old default). */
    queue: { type: "string" },
  },
});
const report = await runFaults({
  uploads: Number(values.uploads),
  kills: Number(values.kills),
  seed: Number(values.seed),
  concurrency: Number(values.concurrency),
  ...(values.keys ? { keys: Number(values.keys) } : {}),
  ...(values.queue ? { queue: JSON.parse(values.queue) as Record<string, number> } : {}),
  progress: (line) => console.log(line),
});
console.log(JSON.stringify(report, null, 2));
const bad = Object.values(report.afterReconcile).reduce((a, b) => a + b, 0);
process.exit(bad === 0 ? 0 : 1);
