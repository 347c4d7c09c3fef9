// The API's URLs for collections, items and assets, built from the base URL the request came in on
// (how stored items are presented with them: shared/api/present.ts).

const enc = encodeURIComponent;

export const QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables";

export const collectionUrl = (base: string, c: string) => `${base}/collections/${enc(c)}`;
export const itemUrl = (base: string, c: string, id: string) => `${collectionUrl(base, c)}/items/${enc(id)}`;
export const assetUrl = (base: string, c: string, id: string, asset: string) =>
  `${itemUrl(base, c, id)}/assets/${enc(asset)}`;
