// Queryables: what a filter, query or sortby may name. Honest by construction: the core fields plus
// the properties found on the index rows of each collection's newest items (the rows are what the
// filters run on, so a property that is not on them could never match).
import { BadRequestError } from "../errors.ts";
import { timePartition, timeRange } from "../index/keys.ts";
import { MAX_TIME, MIN_TIME } from "../index/time.ts";
import type { RowReader } from "../storage/catalogue.ts";

export type JsonSchema = Record<string, unknown>;

/** How many of a collection's newest rows are sampled for its properties. */
export const QUERYABLES_SAMPLE = 200;

export const CORE_QUERYABLES: Record<string, JsonSchema> = {
  id: { title: "Item ID", type: "string" },
  collection: { title: "Collection ID", type: "string" },
  datetime: { title: "Acquisition time", type: "string", format: "date-time" },
  start_datetime: { title: "Start of acquisition", type: "string", format: "date-time" },
  end_datetime: { title: "End of acquisition", type: "string", format: "date-time" },
  geometry: { title: "Footprint", $ref: "https://geojson.org/schema/Geometry.json" },
  deprecated: { title: "Superseded by a reprocessed version", type: "boolean" },
};

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function schemaOf(v: unknown): JsonSchema {
  if (typeof v === "number") return { type: "number" };
  if (typeof v === "boolean") return { type: "boolean" };
  if (Array.isArray(v))
    return { type: "array", items: { type: typeof v[0] === "number" ? "number" : "string" } };
  return typeof v === "string" && ISO.test(v) ? { type: "string", format: "date-time" } : { type: "string" };
}

/** Properties of the sampled rows of the given collections, with a schema from the first value seen. */
export async function collectQueryables(
  catalogue: RowReader,
  collections: string[],
  /** Told each collection's sampled property names (a search remembers them: search.ts). */
  sampled?: (collection: string, names: Set<string>) => void,
): Promise<Record<string, JsonSchema>> {
  const out: Record<string, JsonSchema> = { ...CORE_QUERYABLES };
  const pages = await Promise.all(
    collections.map((c) =>
      catalogue.queryRows({
        pk: timePartition(c),
        range: timeRange(MIN_TIME, MAX_TIME),
        descending: true,
        pageSize: QUERYABLES_SAMPLE,
      }),
    ),
  );
  for (const [i, page] of pages.entries()) {
    const names = new Set<string>();
    for (const row of page.rows)
      for (const [k, v] of Object.entries(row.summary.properties)) {
        names.add(k);
        if (!(k in out)) out[k] = schemaOf(v);
      }
    sampled?.(collections[i]!, names);
  }
  return out;
}

export function queryablesDocument(
  base: string,
  collection: string | undefined,
  props: Record<string, JsonSchema>,
) {
  const self = collection
    ? `${base}/collections/${encodeURIComponent(collection)}/queryables`
    : `${base}/queryables`;
  return {
    $schema: "https://json-schema.org/draft/2019-09/schema",
    $id: self,
    type: "object",
    title: collection ? `Queryables of ${collection}` : "Queryables of all collections",
    properties: Object.fromEntries(Object.entries(props).sort(([a], [b]) => a.localeCompare(b))),
    additionalProperties: false,
  };
}

/** 400 naming the first property (in `where`) that is not queryable. */
export function requireQueryable(
  names: string[],
  queryable: Record<string, JsonSchema>,
  where: string,
): void {
  const bad = names.filter((n) => !(n in queryable));
  if (bad.length > 0)
    throw new BadRequestError(
      `${where}: ${bad.map((b) => `'${b}'`).join(", ")} ${bad.length === 1 ? "is" : "are"} not queryable here (see /queryables)`,
    );
}
