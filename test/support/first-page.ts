// A search's first page as the API plans and executes it, minus the plan-input cache and the count:
// fresh plan inputs of the named collections (or the body's), the plan, and the executor's result (its items and the
// rows and requests it read), for tests that weigh the index's reads against brute force.
import { executeSearch } from "../../shared/search/execute.ts";
import { planSearch } from "../../shared/search/plan/choose.ts";
import { planCollections } from "../../shared/search/plan/inputs.ts";
import { parseSearch } from "../../shared/search/request.ts";
import type { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";

export async function firstPage(
  catalogue: DynamoCatalogue,
  body: Record<string, unknown>,
  /** Default: the body's own `collections`. */
  only?: readonly string[],
) {
  const req = parseSearch(body, { source: "body" });
  const collections = only ?? req.collections ?? [];
  const listed = (await catalogue.listCollections()).filter((c) => collections.includes(c.collection.id));
  const inputs = await planCollections(catalogue, listed, req.geometry);
  const plan = planSearch({
    geometry: req.geometry,
    interval: req.interval,
    limit: req.limit,
    collections: inputs,
  });
  const result = await executeSearch(catalogue, {
    plan,
    geometry: req.geometry,
    interval: req.interval,
    collections: new Set(collections),
    limit: req.limit,
  });
  return { req, plan, result };
}
