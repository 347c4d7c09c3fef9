// Items and collections as an export holds them, so that another catalogue imports them as they are:
// without the links a catalogue writes for itself, without what only a served answer carries
// (authentication hints), and without a collection's assets that point back into the exporting
// catalogue (its monthly snapshots: the importing one makes its own). Pure: the server's export jobs
// and the CLI's export and STAC import share it.

/** Link relations a catalogue writes for itself (the importing one writes its own). */
const OWN_LINK_RELS = new Set([
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
/** A monthly snapshot asset (shared/export/snapshot-keys.ts names them). */
const SNAPSHOT_ASSET = /^snapshot-\d{4}-\d{2}$/;

interface Linked {
  rel: string;
}

const foreignLinks = <L extends Linked>(links: L[] | undefined): L[] =>
  (links ?? []).filter((l) => !OWN_LINK_RELS.has(l.rel));

function withoutServedOnly<T extends object>(o: T): T {
  const copy = { ...o } as Record<string, unknown>;
  for (const f of SERVED_ONLY) delete copy[f];
  return copy as T;
}

function withoutSnapshots<A extends { roles?: string[] }>(assets: Record<string, A>): Record<string, A> {
  return Object.fromEntries(
    Object.entries(assets).filter(
      ([k, a]) => !(SNAPSHOT_ASSET.test(k) && (a.roles ?? []).includes("collection-mirror")),
    ),
  );
}

/** An item as exported; `href` rewrites each asset's href (the CLI drops presigned signatures). */
export function exportableItem<I extends { assets: Record<string, { href: string }>; links?: Linked[] }>(
  item: I,
  href: (h: string) => string = (h) => h,
): I {
  const assets = Object.fromEntries(
    Object.entries(item.assets).map(([k, a]) => [k, withoutServedOnly({ ...a, href: href(a.href) })]),
  );
  return { ...item, links: foreignLinks(item.links), assets };
}

/** A collection as exported. */
export function exportableCollection<C extends object>(c: C): C {
  const copy = withoutServedOnly(c) as Record<string, unknown>;
  copy["links"] = foreignLinks(copy["links"] as Linked[] | undefined);
  const exts = (copy["stac_extensions"] as string[] | undefined)?.filter(
    (e) => !e.includes("/authentication/"),
  );
  if (exts) copy["stac_extensions"] = exts;
  if (copy["assets"])
    copy["assets"] = withoutSnapshots(copy["assets"] as Record<string, { roles?: string[] }>);
  return copy as C;
}
