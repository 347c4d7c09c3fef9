// The larger hostile-input run: `npm run hostile -- --requests 100000 [--seed 7] [--concurrency 8]`.
// Half the requests go to a stack without access rules, half to one restricting a collection.
import { describeReport, RESTRICTED_ACCESS, runHostile, startHostileStack } from "./hostile-run.ts";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} expects a non-negative integer`);
  return v;
}

const requests = arg("requests", 100_000);
const seed = arg("seed", 1);
const concurrency = arg("concurrency", 8);
let failed = 0;
for (const [label, access] of [
  ["no access rules", undefined],
  ["access rules (radar restricted)", RESTRICTED_ACCESS],
] as const) {
  const stack = await startHostileStack(access);
  try {
    const half = label === "no access rules" ? Math.ceil(requests / 2) : Math.floor(requests / 2);
    const report = await runHostile(stack, { seed, count: half, concurrency });
    console.log(describeReport(label, report, process.argv.includes("--slowest")));
    failed += report.failures.length;
  } finally {
    await stack.close();
  }
}
process.exit(failed > 0 ? 1 : 0);
