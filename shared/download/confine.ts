// Which objects an item may hand out, checked before any object is read, listed or presigned: the
// download is authorized against the collection that owns the *target* object, not only the item's.
//
//  1. the bucket is one downloads may read (the products bucket, when the deployment names it);
//  2. the key is plain (no empty, `.` or `..` segments);
//  3. an item read from a sidecar reaches only its sidecar's folder (items indexed before that rule
//     are held to it here too);
//  4. an item written through the API reaches only its collection's folder `C/`, or the objects it
//     was itself read from (a patched ingested item keeps its product) — the Transactions API's rule
//     (shared/transactions/confine-hrefs.ts), held here too for items written before it;
//  5. an object that is itself the source of an item, or a file of a product folder an item was read
//     from, belongs to that item and is handed out only through it, so its own collection's rules
//     always apply.
import { ForbiddenError } from "../errors.ts";
import {
  API_SOURCE,
  folderOf,
  insideFolder,
  isPlainKey,
  isSidecarKey,
  ownerKeys,
} from "../products/object-home.ts";
import type { ObjectOwners } from "../storage/object-ledger.ts";

export interface ObjectClaim {
  /** The item handing the object out. */
  collection: string;
  item: string;
  /** The key the item was read from (StoredItem.source); undefined for API-written or older items. */
  source: string | undefined;
  bucket: string;
  key: string;
}

export interface ConfineOptions {
  /** Buckets downloads may read; any when undefined (deployments without a named products bucket). */
  buckets?: readonly string[] | undefined;
}

const refuse = (c: ObjectClaim, why: string) =>
  new ForbiddenError(`item '${c.item}' of collection '${c.collection}' may not hand out this object: ${why}`);

export async function requireOwnedObject(
  ledger: ObjectOwners,
  c: ObjectClaim,
  o: ConfineOptions = {},
): Promise<void> {
  if (o.buckets && !o.buckets.includes(c.bucket)) throw refuse(c, "it is in another bucket");
  if (!isPlainKey(c.key)) throw refuse(c, "its key is not a plain path");
  if (c.source !== undefined && isSidecarKey(c.source) && !insideFolder(c.key, folderOf(c.source)))
    throw refuse(c, "it lies outside the folder of the item's sidecar");
  if (c.key === c.source) return;
  const owners = (await Promise.all(ownerKeys(c.key).map((k) => ledger.getObjectState(k)))).filter(
    (s) => s?.collection !== undefined,
  );
  const ownSource = owners.some((s) => s?.collection === c.collection && s.id === c.item);
  if (owners.some((s) => s?.collection !== c.collection || s.id !== c.item))
    throw refuse(c, "it belongs to another item (its source, or a file of that item's product folder)");
  if (c.source === API_SOURCE && !ownSource && !insideFolder(c.key, `${c.collection}/`))
    throw refuse(c, `an item written through the API reaches only objects under '${c.collection}/'`);
}

/** The buckets a deployment's downloads may read: its products bucket, when it names one. */
export const productsBuckets = (deps: { settings: { productsBucket?: string | undefined } }) =>
  deps.settings.productsBucket === undefined ? undefined : [deps.settings.productsBucket];
