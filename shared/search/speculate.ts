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

export async function runPlannedSearch(
  catalogue: SearchReads & PlanReads,
  s: PlannedSearch,
): Promise<SearchResult> {
  const cachedInputs =
    s.cached && s.cached.length > 0 ? cachedPlanCollections(catalogue, s.cached, s.plan.geometry) : undefined;
  if (s.cached && cachedInputs) {
    const confirm = s.fresh.then((f): Confirmation => {
      const plan = f.collections.length > 0 ? planSearch({ ...s.plan, collections: f.inputs }) : undefined;
      if (plan) s.planned?.(plan);
      return { ...(plan ? { plan } : {}), collections: ids(f.collections), rounds: f.rounds };
    });
    return executeSearch(catalogue, {
      ...s.exec,
      plan: planSearch({ ...s.plan, collections: cachedInputs }),
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
