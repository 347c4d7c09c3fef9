// Items and collections as an export holds them: as the API presents them (asset links to its own
// routes), without the links a catalogue writes for itself and without what only a served answer
// carries (authentication hints), so another catalogue imports them as they are.
import type { Link, StacCollection, StacItem } from "../stac/types.ts";

/** The API's presentation (shared/api/present.ts), passed in by the composition root. */
export interface Presenters {
  item(item: StacItem, base: string): StacItem;
  collection(c: StacCollection, base: string): StacCollection;
}

/** Links a catalogue writes for itself (the importing one writes its own). */
const OWN_LINKS = new Set([
  "self",
  "root",
  "parent",
  "collection",
  "items",
  "child",
  "queryables",
  "aggregate",
  "aggregations",
  "sortables",
  "http://www.opengis.net/def/rel/ogc/1.0/queryables",
  "http://www.opengis.net/def/rel/ogc/1.0/sortables",
]);
const SERVED_ONLY = ["auth:schemes", "auth:refs"];

const foreignLinks = (links: Link[] | undefined) => (links ?? []).filter((l) => !OWN_LINKS.has(l.rel));

function withoutServedOnly<T extends object>(o: T): T {
  const copy = { ...o } as Record<string, unknown>;
  for (const f of SERVED_ONLY) delete copy[f];
  return copy as T;
}

export function exportedItem(p: Presenters, item: StacItem, base: string): StacItem {
  const shown = p.item(item, base);
  const assets = Object.fromEntries(Object.entries(shown.assets).map(([k, a]) => [k, withoutServedOnly(a)]));
  return { ...shown, links: foreignLinks(shown.links), assets };
}

export function exportedCollection(p: Presenters, c: StacCollection, base: string): StacCollection {
  const shown = withoutServedOnly(p.collection(c, base));
  const exts = shown.stac_extensions?.filter((e) => !e.includes("/authentication/"));
  return { ...shown, links: foreignLinks(shown.links), ...(exts ? { stac_extensions: exts } : {}) };
}
