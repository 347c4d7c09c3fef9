// Creating, replacing, patching and deleting items through the API. Every write goes through
// indexItem, as ingest's do: same rows, same collection extent and summaries, a version stamp, and
// API_SOURCE as the item's source so that ingest never removes it (see shared/ingest/index-item.ts).
// Each write is conditional on the record read to check the request (read once, passed through): a
// writer that changed the item in between makes it a retryable 503 (docs/transactions.md).
import type { Access } from "../auth/authorize.ts";
import { BadRequestError, ConflictError, NotFoundError, TransientError } from "../errors.ts";
import { apiVersion, indexItem, withRecordDates } from "../ingest/index-item.ts";
import { API_SOURCE } from "../products/object-home.ts";
import { requireCollection, requireStoredItem } from "../search/search.ts";
import type { StacItem } from "../stac/types.ts";
import type { Catalogue, StoredItem } from "../storage/catalogue.ts";
import { itemRef } from "../storage/catalogue.ts";
import type { ObjectOwners } from "../storage/object-ledger.ts";
import { type HrefRule, requireConfinedHrefs } from "./confine-hrefs.ts";
import { isObject, mergePatch } from "./merge-patch.ts";
import { checkRecordSize, withinRecordLimit } from "./record-size.ts";
import { validateApiItem } from "./validate-item.ts";

export interface TransactionDeps {
  catalogue: Catalogue;
  now(): Date;
  /** The writer's: a collection it may not see cannot be written either (nor read back in answers). */
  access: Access;
  /** Where s3:// hrefs may point (./confine-hrefs.ts). */
  productsBucket: string | undefined;
  owners: ObjectOwners;
}

const hrefRule = (deps: TransactionDeps): HrefRule => ({
  owners: deps.owners,
  productsBucket: deps.productsBucket,
});

/** Items one POST may carry: each costs a few sequential writes, and API Gateway waits 30 s at most. */
export const MAX_BULK_ITEMS = 100;
const WRITE_CONCURRENCY = 4;

/**
 * Writes one checked item; `created` is kept from the stored item (or is now), `updated` is now. Only
 * over `stored`, the record the request was checked against (none: only if there is still none).
 */
async function write(deps: TransactionDeps, checked: StacItem, stored?: StoredItem): Promise<StacItem> {
  const item = withRecordDates(checked, stored, deps.now());
  const what = `item '${item.id.slice(0, 100)}'`;
  checkRecordSize(what, item);
  return withinRecordLimit(what, () => index(deps, item, stored ?? null));
}

async function index(deps: TransactionDeps, item: StacItem, expected: StoredItem | null): Promise<StacItem> {
  const indexed = await indexItem(
    {
      catalogue: deps.catalogue,
      // The collection was checked first; this only fires when it is deleted meanwhile.
      describeCollection: (id) => {
        throw new NotFoundError(`collection '${id}' does not exist`);
      },
    },
    item,
    { version: apiVersion(deps.now()), source: API_SOURCE, expected },
  );
  return indexed.item;
}

export type CreateResult = { kind: "item"; item: StacItem } | { kind: "items"; items: StacItem[] };

/** POST of one Item, or of an ItemCollection: all are validated and checked before any is written. */
export async function createItems(
  deps: TransactionDeps,
  collection: string,
  body: Record<string, unknown>,
  base: string,
): Promise<CreateResult> {
  await requireCollection(deps.catalogue, collection, deps.access);
  if (body["type"] !== "FeatureCollection") {
    const item = await validateApiItem(body, { collection, base });
    await requireConfinedHrefs(hrefRule(deps), item, undefined);
    if (await deps.catalogue.getItem(collection, item.id))
      throw new ConflictError(
        `item '${item.id}' already exists in collection '${collection}'; use PUT to replace it`,
      );
    return { kind: "item", item: await write(deps, item) };
  }
  const features = body["features"];
  if (!Array.isArray(features) || features.length === 0)
    throw new BadRequestError("features must be a non-empty array of STAC Items");
  if (features.length > MAX_BULK_ITEMS)
    throw new BadRequestError(
      `features holds ${features.length} items; send at most ${MAX_BULK_ITEMS} per request`,
    );
  // One after the other, so the first bad feature is the one named.
  const items: StacItem[] = [];
  for (const [i, f] of features.entries())
    items.push(await validateApiItem(f, { collection, base, field: `features[${i}].` }));
  // Sizes and hrefs before any write, so that the collection is still written all or nothing.
  for (const [i, item] of items.entries()) {
    checkRecordSize(`features[${i}] (item '${item.id.slice(0, 100)}')`, item);
    await requireConfinedHrefs(hrefRule(deps), item, undefined, `features[${i}].`);
  }
  const seen = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (seen.has(item.id)) throw new BadRequestError(`features[${i}].id '${item.id}' appears twice`);
    seen.add(item.id);
  }
  const found = await deps.catalogue.getItems(items.map((i) => ({ collection, id: i.id })));
  const existing = items.filter((i) => found.has(itemRef(collection, i.id))).map((i) => i.id);
  if (existing.length > 0)
    throw new ConflictError(
      `${existing.length} item(s) already exist in collection '${collection}': ${existing.slice(0, 10).join(", ")}; nothing was written`,
    );
  const written: StacItem[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      written[i] = await write(deps, items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
  return { kind: "items", items: written };
}

/** PUT: the whole item, replacing one that exists. */
export async function replaceItem(
  deps: TransactionDeps,
  collection: string,
  id: string,
  body: Record<string, unknown>,
  base: string,
): Promise<StacItem> {
  const stored = await requireStoredItem(deps.catalogue, collection, id, deps.access);
  const item = await validateApiItem(body, { collection, id, base, existing: stored.item });
  await requireConfinedHrefs(hrefRule(deps), item, stored.item);
  return write(deps, item, stored);
}

/** PATCH: a JSON Merge Patch (RFC 7396) of the stored item; the result must still be a valid item. */
export async function patchItem(
  deps: TransactionDeps,
  collection: string,
  id: string,
  patch: Record<string, unknown>,
  base: string,
): Promise<StacItem> {
  const stored = await requireStoredItem(deps.catalogue, collection, id, deps.access);
  const merged = mergePatch(stored.item, patch);
  if (isObject(merged) && merged["collection"] === undefined) merged["collection"] = collection;
  const item = await validateApiItem(merged, { collection, id, base, existing: stored.item });
  await requireConfinedHrefs(hrefRule(deps), item, stored.item);
  return write(deps, item, stored);
}

/** DELETE; the collection's extent stays as wide as it was (extents only ever grow). */
export async function deleteItem(deps: TransactionDeps, collection: string, id: string): Promise<void> {
  const stored = await requireStoredItem(deps.catalogue, collection, id, deps.access);
  const user = deps.access.principal?.user;
  const deleted = await deps.catalogue.deleteItem(collection, id, stored, {
    cause: "operator",
    ...(user ? { by: `operator:${user}` } : {}),
  });
  if (!deleted) throw new TransientError(`item '${id}' was changed by another writer meanwhile; retry`);
}
