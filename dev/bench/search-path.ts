// Measures Item Search as the API runs it (searchItems: page, count, tokens) on an archive a bench run
// left in --data DIR: per query, the rows, requests and read capacity of everything the search read
// (plan inputs, page, count), numberMatched and whether it is an estimate, and CPU time. Not a test.
//   npx tsx dev/bench/search-path.ts DIR [--runs R] [--peer] (peer.ts's query set: Q8 page 50 at limit 10)
import { parseArgs } from "node:util";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { type SearchPage, searchItems } from "../../shared/search/search.ts";
import { startBenchDynamo } from "./emulator.ts";
import { defaultQueries, peerQueries } from "./queries.ts";

const { values: args, positionals } = parseArgs({
  options: { runs: { type: "string", default: "10" }, peer: { type: "boolean", default: false } },
  allowPositionals: true,
});
const dir = positionals[0];
if (!dir) throw new Error("usage: search-path.ts DIR [--runs R] [--peer]");

const stack = await startBenchDynamo(dir);
const { catalogue } = stack;
let rows = 0;
const queryRows = catalogue.queryRows;
catalogue.queryRows = async (q) => {
  const page = await queryRows.call(catalogue, q);
  rows += page.scanned;
  return page;
};
const log = (s: string) => process.stdout.write(`${s}\n`);
const fmt = (n: number, d = 1) => n.toFixed(d).padStart(8);
try {
  // A paged query's first page too, for page N against page 1.
  const queries = (args.peer ? peerQueries() : defaultQueries()).flatMap((q) =>
    (q.page ?? 1) > 1 ? [{ ...q, page: 1 }, q] : [q],
  );
  const search = (body: Record<string, unknown>, token?: string) =>
    searchItems(catalogue, parseSearch(token ? { ...body, token } : body, { source: "body" }), UNRESTRICTED);
  for (let i = 0; i < 10; i++) for (const q of queries) await search(q.body);
  log("query  page  results    rows  rows/res  requests     RCU   cpu ms  numberMatched");
  const sums = { rows: 0, rcu: 0, cpu: 0, requests: 0 };
  for (const q of queries) {
    let token: string | undefined;
    for (let p = 1; p < (q.page ?? 1); p++) {
      const page: SearchPage = await search(q.body, token);
      if (!page.nextToken) break;
      token = page.nextToken;
    }
    const runs = Number(args.runs);
    let cpu = 0;
    let last: SearchPage | undefined;
    let io = { rows: 0, requests: 0, capacity: 0 };
    for (let r = 0; r < runs; r++) {
      const before = { rows, ...catalogue.stats };
      const c0 = process.cpuUsage();
      last = await search(q.body, token);
      const c = process.cpuUsage(c0);
      cpu += (c.user + c.system) / 1000;
      io = {
        rows: rows - before.rows,
        requests: catalogue.stats.requests - before.requests,
        capacity: catalogue.stats.capacity - before.capacity,
      };
    }
    const n = last!.items.length;
    sums.rows += io.rows;
    sums.rcu += io.capacity;
    sums.cpu += cpu / runs;
    sums.requests += io.requests;
    log(
      `${q.id.padStart(5)} ${String(q.page ?? 1).padStart(5)} ${String(n).padStart(8)} ${String(io.rows).padStart(7)} ${fmt(n ? io.rows / n : 0, 2)} ${String(io.requests).padStart(9)} ${fmt(io.capacity)} ${fmt(cpu / runs)}  ${last!.numberMatched ?? "-"}${last!.matchedEstimated ? " (estimate)" : ""}`,
    );
  }
  const k = queries.length;
  log(
    `mean per query: ${(sums.rows / k).toFixed(1)} rows, ${(sums.requests / k).toFixed(1)} requests, ${(sums.rcu / k).toFixed(1)} RCU, ${(sums.cpu / k).toFixed(1)} CPU ms (sum ${sums.cpu.toFixed(0)})`,
  );
} finally {
  await stack.close();
}
