// Absolute links and served asset hrefs: stored items know only s3:// locations; what a client sees
// points at this API's routes, built from the base URL the request came in on.
import { servedLicense } from "../products/collections.ts";
import { TAR_MEMBER_FIELD } from "../products/source/tar-source.ts";
import { MEMBER_FIELD } from "../products/types.ts";
import type { Link, StacCollection, StacItem } from "./types.ts";

const enc = encodeURIComponent;

export const collectionUrl = (base: string, c: string) => `${base}/collections/${enc(c)}`;
export const itemUrl = (base: string, c: string, id: string) => `${collectionUrl(base, c)}/items/${enc(id)}`;
export const assetUrl = (base: string, c: string, id: string, asset: string) =>
  `${itemUrl(base, c, id)}/assets/${enc(asset)}`;

export function presentItem(item: StacItem, base: string): StacItem {
  const c = item.collection!;
  const assets: StacItem["assets"] = {};
  for (const [key, stored] of Object.entries(item.assets)) {
    // Where an asset sits inside its archive is the download route's business, not the client's.
    const { [MEMBER_FIELD]: _zip, [TAR_MEMBER_FIELD]: _tar, ...asset } = stored;
    assets[key] = asset.href.startsWith("s3://")
      ? { ...asset, href: assetUrl(base, c, item.id, key) }
      : asset;
  }
  const links: Link[] = [
    { rel: "self", href: itemUrl(base, c, item.id), type: "application/geo+json" },
    { rel: "parent", href: collectionUrl(base, c), type: "application/json" },
    { rel: "collection", href: collectionUrl(base, c), type: "application/json" },
    { rel: "root", href: `${base}/`, type: "application/json" },
    ...item.links.filter((l) => !["self", "parent", "collection", "root"].includes(l.rel)),
  ];
  return { ...item, links, assets };
}

export function presentCollection(c: StacCollection, base: string): StacCollection {
  const licence = servedLicense(c.id, c.license);
  const links: Link[] = [
    { rel: "self", href: collectionUrl(base, c.id), type: "application/json" },
    { rel: "parent", href: `${base}/`, type: "application/json" },
    { rel: "root", href: `${base}/`, type: "application/json" },
    { rel: "items", href: `${collectionUrl(base, c.id)}/items`, type: "application/geo+json" },
    ...c.links.filter((l) => !["self", "parent", "root", "items"].includes(l.rel)),
    ...licence.links.filter((l) => !c.links.some((k) => k.rel === "license" && k.href === l.href)),
  ];
  return { ...c, license: licence.license, links };
}
