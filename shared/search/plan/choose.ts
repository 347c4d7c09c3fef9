// Turns a search into DynamoDB queries and picks the cheapest plan, all of them ranges read newest
// first and bounded in time:
//   fine  — rows of the FINE_RES cells the area touches, plus the coarser cells (res 0–2, root);
//   group — group rows and res-2 cell rows of the GROUP_RES cells the area touches, plus res 0–1, root;
//   time  — each collection's time rows;
//   mixed — with estimates: cell ranges (fine or group) for some collections, time rows for the rest.
// All are pre-filters; the executor applies the exact tests. With row counts (RowCountReader
// rowCounts) each query carries an estimate of its rows and of the share of them that match, from
// which the executor sizes first pages.
import { COST_MODEL, EARTH_KM2, expectedRows, intervalDays, planRows } from "./cost.ts";
import { type CellLayout, cellLayouts, timeQueries } from "./ranges.ts";
import type { Plan, PlanInput, PlannedQuery } from "./types.ts";

export function planSearch(input: PlanInput): Plan {
  const plan = choosePlan(input);
  return input.filtered ? { ...plan, filtered: true } : plan;
}

function choosePlan(input: PlanInput): Plan {
  const time = timePlan(input);
  if (!input.geometry) return time;
  const layouts = cellLayouts(input);
  const cells = cellPlan(input, layouts);
  const best = cells && (cells.cost ?? 0) <= (time.cost ?? 0) ? cells : time;
  const mixed = mixedPlan(input, layouts, time);
  return mixed && mixed.cost! < best.cost! ? mixed : best;
}

function cellPlan(input: PlanInput, layouts: CellLayout[]): Plan | undefined {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  let best: Plan | undefined;
  for (const layout of layouts) {
    if (layout.perCollection.some((qs) => qs === undefined)) continue;
    const queries = layout.perCollection.flatMap((qs) => qs!);
    if (queries.length > layout.maxRequests) continue;
    const cost =
      queries.length +
      planRows(
        queries,
        input,
        () =>
          COST_MODEL.itemsPerDay *
          intervalDays(input.interval, maxDur) *
          (COST_MODEL.coarseShare + layout.areaRows / EARTH_KM2),
      );
    if (!best || cost < best.cost!) best = { strategy: "cells", queries, cost };
  }
  return best;
}

/**
 * Cell ranges for some collections and time rows for the others, e.g. a polar cap: its few res-0/1
 * ranges for the swath and strip collections, whose items there are many, and the time rows for
 * tile collections, whose ~45 group ranges there would exceed the budget. Only with estimates on every
 * query (their first pages are costed together); greedy from the time plan, one collection at a time.
 */
function mixedPlan(input: PlanInput, layouts: CellLayout[], time: Plan): Plan | undefined {
  if (input.collections.length < 2 || !time.queries.every((q) => q.estimate)) return undefined;
  let best: Plan | undefined;
  for (const layout of layouts) {
    // Collections the layout cannot serve keep their time rows.
    if (!layout.perCollection.every((qs) => qs === undefined || qs.every((q) => q.estimate))) continue;
    const useCells = input.collections.map(() => false);
    const queriesOf = (choice: boolean[]) =>
      choice.flatMap((cells, i) => (cells ? layout.perCollection[i]! : [time.queries[i]!]));
    const costOf = (qs: PlannedQuery[]) =>
      qs.length + (expectedRows(qs, input) ?? 0) / COST_MODEL.rowsPerRequestEstimated;
    let current = costOf(queriesOf(useCells));
    for (;;) {
      let pick: { i: number; cost: number } | undefined;
      for (let i = 0; i < useCells.length; i++) {
        const cells = layout.perCollection[i];
        if (useCells[i] || cells === undefined) continue;
        const trial = useCells.map((v, k) => v || k === i);
        const qs = queriesOf(trial);
        if (qs.length > layout.maxRequests) continue;
        const cost = costOf(qs);
        if (cost < current && (!pick || cost < pick.cost)) pick = { i, cost };
      }
      if (!pick) break;
      useCells[pick.i] = true;
      current = pick.cost;
    }
    // All cells or none is what the other two plans already are.
    if (useCells.every(Boolean) || !useCells.some(Boolean)) continue;
    if (!best || current < best.cost!)
      best = { strategy: "mixed", queries: queriesOf(useCells), cost: current };
  }
  return best;
}

function timePlan(input: PlanInput): Plan {
  const maxDur = Math.max(0, ...input.collections.map((c) => c.maxDurationMs));
  const queries = timeQueries(input);
  const rows = planRows(queries, input, () => COST_MODEL.itemsPerDay * intervalDays(input.interval, maxDur));
  return { strategy: "time", queries, cost: queries.length + rows };
}
