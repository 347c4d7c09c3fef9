// Diagnostic: plans and runs the bench's queries on a loaded store (--data DIR) and prints, per
// range, the planner's estimate against the rows read and the matches found (--whole: every range read
// whole, what the ranges hold). Not a test.
import { parseArgs } from "node:util";
import { intersects } from "../../shared/geo/geometry.ts";
import { compareDesc } from "../../shared/search/cursor.ts";
import { executeSearch } from "../../shared/search/execute.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { planCollections } from "../../shared/search/plan/inputs.ts";
import { filterPlanInput, parseSearch } from "../../shared/search/request.ts";
import { startBenchDynamo } from "./emulator.ts";
import { defaultQueries } from "./queries.ts";

const { values: args } = parseArgs({
  options: { data: { type: "string" }, q: { type: "string" }, whole: { type: "boolean", default: false } },
});
const stack = await startBenchDynamo(args.data!);
try {
  const cat = stack.catalogue;
  for (const q of defaultQueries()) {
    if (args.q && !args.q.split(",").includes(q.id)) continue;
    const req = parseSearch(q.body, { source: "body" });
    const listed = await cat.listCollections();
    const cols = listed.filter((c) => !req.collections || req.collections.includes(c.collection.id));
    const inputs = await planCollections(cat, cols, req.geometry);
    const plan = planSearch({
      geometry: req.geometry,
      interval: req.interval,
      collections: inputs,
      limit: req.limit,
      ...filterPlanInput(req),
    });
    const per = new Map<string, { rows: number; hits: number; reqs: number }>();
    const orig = cat.queryRows;
    cat.queryRows = async (rq) => {
      const page = await orig.call(cat, rq);
      const k = `${rq.pk} ${(rq as { order?: { prefix: string } }).order?.prefix ?? ""}`;
      const e = per.get(k) ?? { rows: 0, hits: 0, reqs: 0 };
      e.rows += page.scanned;
      e.reqs++;
      for (const r of page.rows)
        if (
          r.summary.start <= req.interval.to &&
          r.summary.end >= req.interval.from &&
          (!req.geometry || (r.summary.geometry && intersects(r.summary.geometry, req.geometry)))
        )
          e.hits++;
      per.set(k, e);
      return page;
    };
    const res = await executeSearch(cat, {
      plan,
      geometry: req.geometry,
      interval: req.interval,
      collections: new Set(cols.map((c) => c.collection.id)),
      limit: req.limit,
      // --whole: every range read whole (no pushdown), to set the estimates against what the ranges hold.
      ...(args.whole ? { compare: compareDesc } : {}),
    });
    cat.queryRows = orig;
    console.log(
      `${q.id} ${plan.strategy} cost ${plan.cost?.toFixed(1)} queries ${plan.queries.length} results ${res.items.length} rows ${res.stats.rowsRead} req ${res.stats.requests} rounds ${res.stats.rounds}`,
    );
    for (const pq of plan.queries) {
      const k = `${pq.pk} ${pq.order?.prefix ?? ""}`;
      const got = per.get(k);
      const e = pq.estimate;
      console.log(
        `   ${k.padEnd(48)} est ${e ? `${e.rows.toFixed(1)} hit ${e.hitRate.toFixed(2)}` : "-"}  read ${got?.rows ?? 0} hits ${got?.hits ?? 0} req ${got?.reqs ?? 0}`,
      );
    }
  }
} finally {
  await stack.close();
}
