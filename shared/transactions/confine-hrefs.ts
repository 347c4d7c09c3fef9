// The rule for `s3://` asset hrefs of items written through the API: an item of collection C may name
// only objects in the products bucket under the folder `C/` (where operators upload a collection's own
// files), besides the hrefs its stored version already has (a patched ingested item keeps its product);
// never an object that belongs to another item (its source, or a file of its product folder). Other schemes (https) are links, not presigned.
import { BadRequestError } from "../errors.ts";
import { insideFolder, isPlainKey, ownerKeys, parseS3Href } from "../products/object-home.ts";
import type { StacItem } from "../stac/types.ts";
import type { ObjectOwners } from "../storage/object-ledger.ts";

export interface HrefRule {
  owners: ObjectOwners;
  /** The products bucket; without it no s3:// href can be accepted. */
  productsBucket: string | undefined;
}

export async function requireConfinedHrefs(
  rule: HrefRule,
  item: StacItem,
  existing: StacItem | undefined,
  field = "",
): Promise<void> {
  const collection = item.collection ?? "";
  const kept = new Set(Object.values(existing?.assets ?? {}).map((a) => a.href));
  for (const [name, asset] of Object.entries(item.assets)) {
    if (!/^s3:/i.test(asset.href) || kept.has(asset.href)) continue;
    const fail = (why: string) => new BadRequestError(`${field}assets.${name}.href ${why}`);
    const at = parseS3Href(asset.href);
    if (!at || !isPlainKey(at.key)) throw fail("is not a plain s3://bucket/key");
    if (rule.productsBucket === undefined || at.bucket !== rule.productsBucket)
      throw fail(
        `must name an object of the products bucket${rule.productsBucket ? ` '${rule.productsBucket}'` : ""}`,
      );
    if (!insideFolder(at.key, `${collection}/`))
      throw fail(`must name an object under '${collection}/' (the collection's own folder)`);
    const owners = await Promise.all(ownerKeys(at.key).map((k) => rule.owners.getObjectState(k)));
    if (owners.some((s) => s?.collection !== undefined && (s.collection !== collection || s.id !== item.id)))
      throw fail("names an object of another item (its source, or a file of its product folder)");
  }
}
