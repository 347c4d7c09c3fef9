// Plans and runs a search in as few sequential rounds as its inputs allow. Warm (the collections and
// the area's row counts and tile footprints in this process's cache, plan/input-cache.ts), the index
// round starts at once on a plan from the cache, alongside the reads of the fresh inputs; the fresh
// plan then confirms it, or its added ranges are read in the next round (execute.ts `confirm`). Cold,
// the fresh inputs are awaited first: one more round.
import type { CollectionRecord } from "../storage/catalogue.ts";
import {
  type Confirmation,
  type ExecuteInput,
  executeSearch,
  type SearchReads,
  type SearchResult,
} from "./execute.ts";
import { planSearch } from "./plan/choose.ts";
import { cachedPlanCollections, type PlanReads } from "./plan/inputs.ts";
import type { Plan, PlanCollection, PlanInput } from "./plan/types.ts";

/** The inputs as read now: the collections the caller may search (none: nothing to search) and their plan inputs. */
export interface FreshInputs {
  collections: CollectionRecord[];
  inputs: PlanCollection[];
  /** Sequential reads they took (listing 1, and 1 more when the row counts could only follow it). */
  rounds: number;
}

export interface PlannedSearch {
  plan: Omit<PlanInput, "collections">;
  /** Fresh inputs; rejected when the search is refused (400, 401, 403). */
  fresh: Promise<FreshInputs>;
  /**
   * The collections the caller may search as the cache lists them (the request's Access applied to
   * cached ids), undefined when cold: the speculative plan's, checked against `fresh`.
   */
  cached?: CollectionRecord[] | undefined;
  exec: Omit<ExecuteInput, "plan" | "collections" | "confirm">;
  /** Told the fresh plan, the one the page is read by (a count scales its estimate from it). */
  planned?: (plan: Plan) => void;
}

const ids = (records: CollectionRecord[]) => new Set(records.map((c) => c.collection.id));

/** Structural equality of plan inputs (plain data: primitives, arrays, records, sets). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    for (const x of a) if (!b.has(x)) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export async function runPlannedSearch(
  catalogue: SearchReads & PlanReads,
  s: PlannedSearch,
): Promise<SearchResult> {
  const cachedInputs =
    s.cached && s.cached.length > 0 ? cachedPlanCollections(catalogue, s.cached, s.plan.geometry) : undefined;
  if (s.cached && cachedInputs) {
    const speculative = planSearch({ ...s.plan, collections: cachedInputs });
    const confirm = s.fresh.then((f): Confirmation => {
      // The planner is a function of its inputs: fresh inputs equal to the cached ones (a warm
      // instance's usual case) plan the same, without planning again.
      const plan =
        f.collections.length === 0
          ? undefined
          : same(f.inputs, cachedInputs)
            ? speculative
            : planSearch({ ...s.plan, collections: f.inputs });
      if (plan) s.planned?.(plan);
      return { ...(plan ? { plan } : {}), collections: ids(f.collections), rounds: f.rounds };
    });
    return executeSearch(catalogue, {
      ...s.exec,
      plan: speculative,
      collections: ids(s.cached),
      confirm,
    });
  }
  const f = await s.fresh;
  if (f.collections.length === 0)
    return {
      items: [],
      stats: { strategy: "time", requests: 0, rounds: f.rounds, rowsRead: 0, capacity: 0 },
    };
  const plan = planSearch({ ...s.plan, collections: f.inputs });
  s.planned?.(plan);
  const result = await executeSearch(catalogue, {
    ...s.exec,
    plan,
    collections: ids(f.collections),
  });
  result.stats.rounds += f.rounds;
  return result;
}
