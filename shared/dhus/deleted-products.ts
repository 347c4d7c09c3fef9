// The OData `DeletedProducts` view: the catalogue's tombstones as DHuS/CDSE clients read deleted
// products, the Products fields plus `DeletionDate` and `DeletionCause` (the upstream's or operator's
// wording; the normalised cause beside it). `$top` (at most 100) and `$skip` page it. And a deleted
// product's own resources: 410 Gone in the error form sentinelsat reads.
import { BadRequestError, GoneError, NotFoundError } from "../errors.ts";
import type { HttpRequest, HttpResponse } from "../http/types.ts";
import { json } from "../http/types.ts";
import { collectionHash, parseProductUuid, productUuid } from "../index/product-uuid.ts";
import type { Tombstone } from "../storage/tombstones.ts";
import { type DhusDeps, hubBase } from "./deps.ts";
import { gmlFootprint } from "./product.ts";

const MAX_TOP = 100;
const MAX_SKIP = 10_000;
const odataDate = (iso: string) => `/Date(${Date.parse(iso)})/`;

export async function deletedProducts(
  deps: DhusDeps,
  req: HttpRequest,
  canSee: (collection: string) => boolean,
): Promise<HttpResponse> {
  if (!deps.tombstones) throw new NotFoundError("deleted products are not listed by this deployment");
  const top = count(req.query["$top"], "$top", 50, MAX_TOP);
  const skip = count(req.query["$skip"], "$skip", 0, MAX_SKIP);
  const seen: Tombstone[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.tombstones.listTombstones({ limit: 500, cursor });
    seen.push(...page.tombstones.filter((t) => canSee(t.collection)));
    cursor = page.next;
  } while (cursor && seen.length < skip + top);
  const base = hubBase(req);
  return json(200, { d: { results: seen.slice(skip, skip + top).map((t) => deletedProductJson(base, t)) } });
}

export function deletedProductJson(base: string, t: Tombstone) {
  const uuid = productUuid(t.collection, t.id, t.datetime);
  const url = `${base}/odata/v1/DeletedProducts('${uuid}')`;
  return {
    __metadata: { id: url, uri: url, type: "DHuS.DeletedProduct" },
    Id: uuid,
    Name: t.id,
    ContentType: "application/octet-stream",
    ContentLength: "0",
    CreationDate: null,
    IngestionDate: null,
    Online: false,
    ContentDate: { __metadata: { type: "DHuS.TimeRange" }, Start: odataDate(t.start), End: odataDate(t.end) },
    ContentGeometry: gmlFootprint(t.geometry) ?? null,
    DeletionDate: odataDate(t.deletedAt),
    DeletionCause: t.deletion.text ?? t.deletion.cause,
    "hexarchive:cause": t.deletion.cause,
    "hexarchive:collection": t.collection,
  };
}

function count(v: string | undefined, name: string, fallback: number, max: number): number {
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new BadRequestError(`${name} must be an integer from 0 to ${max}, got '${v}'`);
  return n;
}

/**
 * The tombstone of the product a UUID named, when it existed and was deleted with a cause (shared/
 * lifecycle/): the UUID carries the item's datetime and its collection's hash, so a query of the
 * tombstones at that instant finds it. Undefined for UUIDs that were never ours (they stay 404).
 */
export async function findDeletedProduct(deps: DhusDeps, uuid: string): Promise<Tombstone | undefined> {
  const parsed = parseProductUuid(uuid);
  if (!parsed || !deps.tombstones) return undefined;
  const collections = (await deps.catalogue.listCollections()).filter(
    (c) => collectionHash(c.collection.id) === parsed.collectionHash,
  );
  for (const c of collections)
    for (const t of await deps.tombstones.tombstonesAt(c.collection.id, parsed.datetime))
      if (productUuid(t.collection, t.id, t.datetime) === uuid.toLowerCase()) return t;
  return undefined;
}

/**
 * 410 for a deleted product's resources. The message starts as DHuS's 404 does ("Invalid key …"):
 * sentinelsat 1.x raises InvalidKeyError (a KeyError) on any error whose message holds those words, so
 * scripts that catch a missing product keep working; the rest says when and why it went.
 */
export function goneProduct(uuid: string, t: Tombstone): GoneError {
  const d = t.deletion;
  const why = d.text && d.text !== d.cause ? `${d.cause} (${d.text})` : d.cause;
  return new GoneError(
    `Invalid key (${uuid}) to access Products: product ${t.id} was deleted on ${t.deletedAt}: ${why}`,
  );
}
