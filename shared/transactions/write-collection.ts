// Creating, replacing, patching and deleting collections through the API. The extent and the
// summaries hexarchive keeps (platform, instruments, …) are computed from the items: what a client
// sends for them is shown until items widen them.
import { BadRequestError, ConflictError, NotFoundError } from "../errors.ts";
import { requireCollection } from "../search/search.ts";
import { STAC_VERSION, type StacCollection } from "../stac/types.ts";
import { isObject, mergePatch } from "./merge-patch.ts";
import { checkRecordSize, withinRecordLimit } from "./record-size.ts";
import type { TransactionDeps } from "./write-item.ts";

/** Collection ids become parts of DynamoDB keys (shared/index/keys.ts), where `#` and `~` separate. */
const COLLECTION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Links the API derives on every answer: not stored. */
const DERIVED_RELS = new Set(["self", "parent", "root", "items"]);

const fail = (field: string, why: string) => new BadRequestError(`${field} ${why}`);
const isNumber = (n: unknown) => typeof n === "number" && Number.isFinite(n);
const isInstant = (v: unknown) => v === null || (typeof v === "string" && !Number.isNaN(Date.parse(v)));

function checkExtent(extent: unknown): StacCollection["extent"] {
  if (extent === undefined)
    return { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } };
  if (!isObject(extent) || !isObject(extent["spatial"]) || !isObject(extent["temporal"]))
    throw fail("extent", "must be an object with spatial and temporal");
  const bbox = extent["spatial"]["bbox"];
  if (
    !Array.isArray(bbox) ||
    bbox.length === 0 ||
    !bbox.every((b) => Array.isArray(b) && (b.length === 4 || b.length === 6) && b.every(isNumber))
  )
    throw fail("extent.spatial.bbox", "must be a non-empty array of 4 or 6 numbers each");
  const interval = extent["temporal"]["interval"];
  if (
    !Array.isArray(interval) ||
    interval.length === 0 ||
    !interval.every((i) => Array.isArray(i) && i.length === 2 && i.every(isInstant))
  )
    throw fail("extent.temporal.interval", "must be a non-empty array of [start, end] (RFC 3339 or null)");
  return extent as StacCollection["extent"];
}

/** A Collection body: the STAC required fields, an id usable as a key, links as objects. */
export function validateCollection(raw: unknown, pathId?: string): StacCollection {
  if (!isObject(raw)) throw fail("collection", "must be a JSON object (a STAC Collection)");
  if (raw["type"] !== "Collection") throw fail("type", 'must be "Collection"');
  const id = raw["id"];
  if (pathId !== undefined && id !== pathId)
    throw fail("id", `'${String(id)}' does not match the collection id in the path ('${pathId}')`);
  // Existing collections (named by ingest) keep their ids; new ones must be usable in keys.
  if (pathId === undefined && (typeof id !== "string" || !COLLECTION_ID.test(id)))
    throw fail("id", "must be 1–100 letters, digits, '.', '_' or '-', starting with a letter or digit");
  if (typeof raw["description"] !== "string" || raw["description"] === "")
    throw fail("description", "must be a non-empty string");
  if (typeof raw["license"] !== "string" || raw["license"] === "")
    throw fail("license", "must be a non-empty string (an SPDX id, or 'other')");
  for (const f of ["title"] as const)
    if (raw[f] !== undefined && typeof raw[f] !== "string") throw fail(f, "must be a string");
  const keywords = raw["keywords"];
  if (keywords !== undefined && !(Array.isArray(keywords) && keywords.every((k) => typeof k === "string")))
    throw fail("keywords", "must be an array of strings");
  const links = raw["links"] ?? [];
  if (!Array.isArray(links)) throw fail("links", "must be an array");
  links.forEach((l: unknown, i) => {
    if (!isObject(l) || typeof l["rel"] !== "string" || typeof l["href"] !== "string")
      throw fail(`links[${i}]`, "must be an object with string rel and href");
  });
  return {
    ...(raw as unknown as StacCollection),
    stac_version: typeof raw["stac_version"] === "string" ? raw["stac_version"] : STAC_VERSION,
    extent: checkExtent(raw["extent"]),
    links: (links as StacCollection["links"]).filter((l) => !DERIVED_RELS.has(l.rel)),
  };
}

async function store(deps: TransactionDeps, c: StacCollection): Promise<void> {
  const what = `collection '${c.id}'`;
  checkRecordSize(what, c);
  await withinRecordLimit(what, () => deps.catalogue.putCollection(c));
}

export async function createCollection(deps: TransactionDeps, body: unknown): Promise<StacCollection> {
  const c = validateCollection(body);
  deps.access.requireSearch(c.id);
  if (await deps.catalogue.getCollection(c.id))
    throw new ConflictError(`collection '${c.id}' already exists; use PUT to replace it`);
  await store(deps, c);
  return (await requireCollection(deps.catalogue, c.id, deps.access)).collection;
}

export async function replaceCollection(
  deps: TransactionDeps,
  id: string,
  body: unknown,
): Promise<StacCollection> {
  await requireCollection(deps.catalogue, id, deps.access);
  await store(deps, validateCollection(body, id));
  return (await requireCollection(deps.catalogue, id, deps.access)).collection;
}

/** JSON Merge Patch of the collection as it is served (with its computed extent and summaries). */
export async function patchCollection(
  deps: TransactionDeps,
  id: string,
  patch: unknown,
): Promise<StacCollection> {
  const current = (await requireCollection(deps.catalogue, id, deps.access)).collection;
  await store(deps, validateCollection(mergePatch(current, patch), id));
  return (await requireCollection(deps.catalogue, id, deps.access)).collection;
}

/** Only an empty collection may go: deleting every item of a large one would outlast the request. */
export async function deleteCollection(deps: TransactionDeps, id: string): Promise<void> {
  deps.access.requireSearch(id);
  const outcome = await deps.catalogue.deleteCollection(id);
  if (outcome === "missing") throw new NotFoundError(`collection '${id}' does not exist`);
  if (outcome === "not-empty")
    throw new ConflictError(
      `collection '${id}' still holds items; delete them first (DELETE …/items/{itemId})`,
    );
}
