// An item body sent to the Transactions API, checked exactly as a sidecar is (validateStacItem, then the
// STAC schemas it declares) plus what only the API can get wrong: a collection or id that disagrees with
// the path, and asset hrefs that are relative or point back at this API's own download route.
import { BadRequestError, PayloadTooLargeError } from "../errors.ts";
import { type FieldError, validateStacItem } from "../products/sidecar/read-sidecar.ts";
import { requireItemSchemas } from "../stac/item-schemas.ts";
import { assetUrl } from "../stac/links.ts";
import { checkStorableItem, MAX_ID_BYTES } from "../stac/storable-item.ts";
import type { StacItem } from "../stac/types.ts";
import { isObject } from "./merge-patch.ts";

/** Links the API derives from its own URL on every answer: not stored. */
const DERIVED_RELS = new Set(["self", "parent", "collection", "root"]);

export interface ItemContext {
  collection: string;
  /** The id in the path (PUT, PATCH); absent for POST. */
  id?: string;
  /** The API's base URL, to recognise hrefs a client copied from a GET. */
  base: string;
  /** The stored version, whose s3:// hrefs stand behind this API's asset URLs. */
  existing?: StacItem | undefined;
  /** Prefix for field names, e.g. `features[3].` in a bulk request. */
  field?: string;
}

export async function validateApiItem(raw: unknown, ctx: ItemContext): Promise<StacItem> {
  const prefix = ctx.field ?? "";
  const fail: FieldError = (field, why) => new BadRequestError(`${prefix}${field} ${why}`);
  if (!isObject(raw)) throw fail("item", "must be a JSON object (a STAC Item)");
  const collection = raw["collection"];
  if (collection !== undefined && collection !== ctx.collection)
    throw fail(
      "collection",
      `'${String(collection)}' does not match the collection in the path ('${ctx.collection}')`,
    );
  if (ctx.id !== undefined && raw["id"] !== ctx.id)
    throw fail("id", `'${String(raw["id"])}' does not match the item id in the path ('${ctx.id}')`);
  const id = typeof raw["id"] === "string" ? raw["id"] : "";
  // Checked before the hrefs are looked at; checkStorableItem below checks it again with the rest.
  if (Buffer.byteLength(id) > MAX_ID_BYTES) throw fail("id", `must be at most ${MAX_ID_BYTES} bytes long`);
  const served = new Map<string, string>();
  for (const [key, asset] of Object.entries(ctx.existing?.assets ?? {})) {
    if (asset.href.startsWith("s3://")) served.set(assetUrl(ctx.base, ctx.collection, id, key), asset.href);
  }
  const resolve = (href: string, field: string): string => {
    const stored = served.get(href);
    if (stored) return stored;
    if (href.startsWith(`${ctx.base}/collections/`) && href.includes("/assets/"))
      throw fail(
        field,
        "points at this API's download route; give the file's location (s3://bucket/key or https://…)",
      );
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href))
      throw fail(field, `must be an absolute URL (s3://bucket/key or https://…), got '${href}'`);
    return href;
  };
  const item = validateStacItem({ ...raw, collection: ctx.collection }, fail, resolve);
  item.links.forEach((l: unknown, i) => {
    if (!isObject(l) || typeof l["rel"] !== "string" || typeof l["href"] !== "string")
      throw fail(`links[${i}]`, "must be an object with string rel and href");
  });
  // The same limits ingest applies (sizes, datetimes, positions), so both writers store the same items.
  // An item too large to store is the caller's to shrink: a 413, named as the bulk and single writes name it.
  const what = prefix
    ? `${prefix.replace(/\.$/, "")} (item '${id.slice(0, 100)}')`
    : `item '${id.slice(0, 100)}'`;
  const storable: FieldError = (field, why) =>
    field === "item" ? new PayloadTooLargeError(`${what} ${why}`) : fail(field, why);
  const stored = checkStorableItem(
    { ...item, links: item.links.filter((l) => !DERIVED_RELS.has(l.rel)) },
    storable,
  );
  // Last, so the archive's own checks keep naming what they find; the schemas catch the rest.
  await requireItemSchemas(stored, fail);
  return stored;
}
