// Items and collections as a client sees them: stored items know only s3:// locations; what a client
// sees points at this API's routes (shared/stac/links.ts), built from the base URL the request came in on.
import { snapshotMonth } from "../export/snapshot-keys.ts";
import { servedLicense } from "../products/collections.ts";
import { TAR_MEMBER_FIELD } from "../products/source/tar-source.ts";
import { MEMBER_FIELD } from "../products/types.ts";
import { VERSION_RELS } from "../products/versions.ts";
import { servedPreviewType } from "../quicklook/preview-types.ts";
import { assetUrl, collectionUrl, itemUrl, QUERYABLES_REL } from "../stac/links.ts";
import type { Asset, Link, StacCollection, StacItem } from "../stac/types.ts";

/** How one caller's asset links are written (shared/api/asset-links.ts); none: plain API links. */
export interface AssetLinks {
  /** The signed form of an asset's API link, or undefined to leave it plain. */
  sign?(href: string, collection: string, item: string, asset: string): string | undefined;
  /** The STAC Authentication `auth:refs` an asset of the collection needs, if any. */
  refs?(collection: string): string[] | undefined;
}

export function presentItem(item: StacItem, base: string, hrefs: AssetLinks = {}): StacItem {
  const c = item.collection!;
  const assets: StacItem["assets"] = {};
  const refs = hrefs.refs?.(c);
  for (const [key, stored] of Object.entries(item.assets)) {
    // Where an asset sits inside its archive is the download route's business, not the client's.
    const { [MEMBER_FIELD]: _zip, [TAR_MEMBER_FIELD]: _tar, ...asset } = stored;
    if (!asset.href.startsWith("s3://")) {
      assets[key] = withEpsg(asset);
      continue;
    }
    const href = assetUrl(base, c, item.id, key);
    const signed = hrefs.sign?.(href, c, item.id, key);
    // A preview the API converts (JPEG 2000 → JPEG: shared/quicklook) says what it is served as.
    const preview = (asset.roles ?? []).includes("thumbnail") || key === "thumbnail";
    const type = preview && asset.type ? { type: servedPreviewType(asset.type) } : {};
    const auth = refs && !preview ? { "auth:refs": refs } : {};
    assets[key] = withEpsg({ ...asset, ...type, href: signed ?? href, ...auth });
  }
  const properties = withEpsg(item.properties);
  const added = [properties, ...Object.values(assets)].some(
    (o) => o["proj:epsg"] !== undefined && o["proj:code"] !== undefined,
  );
  const links: Link[] = [
    { rel: "self", href: itemUrl(base, c, item.id), type: "application/geo+json" },
    { rel: "parent", href: collectionUrl(base, c), type: "application/json" },
    { rel: "collection", href: collectionUrl(base, c), type: "application/json" },
    { rel: "root", href: `${base}/`, type: "application/json" },
    ...item.links
      .filter((l) => !["self", "parent", "collection", "root"].includes(l.rel))
      .map((l) => versionLink(l, base, c)),
  ];
  const stac_extensions = added ? projectionForEpsg(item.stac_extensions) : item.stac_extensions;
  return { ...item, ...(stac_extensions ? { stac_extensions } : {}), properties, links, assets };
}

/** A version link is stored as `./{id}` (products/versions.ts): served as that item's URL here. */
function versionLink(l: Link, base: string, collection: string): Link {
  if (!(VERSION_RELS as readonly string[]).includes(l.rel) || !l.href.startsWith("./")) return l;
  return { ...l, href: itemUrl(base, collection, decodeURIComponent(l.href.slice(2))) };
}

/**
 * An item that declares projection v2 (which refuses `proj:epsg`) is served as projection v1.2.0, the
 * release that has `proj:code` and still allows `proj:epsg`, so it stays valid against what it declares.
 */
function projectionForEpsg(exts: string[] | undefined): string[] | undefined {
  return exts?.map((u) =>
    u.replace(/\/projection\/v2\.\d+\.\d+\/schema\.json$/, "/projection/v1.2.0/schema.json"),
  );
}

/**
 * `proj:epsg` beside every EPSG `proj:code`: GDAL before 3.7 (Debian 12's 3.6, so its STACIT driver
 * and QGIS) reads only the older field and finds no usable asset without it.
 */
function withEpsg<T extends Record<string, unknown>>(o: T): T {
  const code = o["proj:code"];
  const m = typeof code === "string" ? /^EPSG:(\d+)$/.exec(code) : null;
  return m && o["proj:epsg"] === undefined ? { ...o, "proj:epsg": Number(m[1]) } : o;
}

export function presentCollection(c: StacCollection, base: string): StacCollection {
  const licence = servedLicense(c.id, c.license);
  const links: Link[] = [
    { rel: "self", href: collectionUrl(base, c.id), type: "application/json" },
    { rel: "parent", href: `${base}/`, type: "application/json" },
    { rel: "root", href: `${base}/`, type: "application/json" },
    { rel: "items", href: `${collectionUrl(base, c.id)}/items`, type: "application/geo+json" },
    { rel: QUERYABLES_REL, href: `${collectionUrl(base, c.id)}/queryables`, type: "application/schema+json" },
    ...c.links.filter((l) => !["self", "parent", "root", "items", QUERYABLES_REL].includes(l.rel)),
    ...licence.links.filter((l) => !c.links.some((k) => k.rel === "license" && k.href === l.href)),
  ];
  return { ...c, license: licence.license, links, ...(c.assets ? { assets: servedAssets(c, base) } : {}) };
}

/** Monthly snapshots are stored with their s3:// location and served through the API's route. */
function servedAssets(c: StacCollection, base: string): Record<string, Asset> {
  return Object.fromEntries(
    Object.entries(c.assets ?? {}).map(([k, a]) => {
      const month = snapshotMonth(k);
      if (!month || !a.href.startsWith("s3://")) return [k, a];
      return [k, { ...a, href: `${collectionUrl(base, c.id)}/snapshots/${month}` }];
    }),
  );
}
