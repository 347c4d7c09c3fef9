// A DHuS (ESA's Data Hub Software, or hexarchive's own DHuS facade) as an import source: its OData
// `Products` collection read `$skip`/`$top` at a time, oldest ingestion first (so products arriving
// during the import go to the end), filtered by `$filter`, with their attributes; each product made a
// STAC item (./dhus-item.ts). A product whose footprint cannot be read is reported by name, not fatal.
import type { Api } from "../../http.ts";
import { type DhusProductJson, dhusItem } from "./dhus-item.ts";
import type { Entry, ImportSource, SourcePage } from "./source.ts";

export interface DhusSourceOptions {
  /** The hub's root, e.g. https://scihub.example.org/dhus (what sentinelsat calls api_url). */
  url: string;
  /** An OData `$filter`, e.g. `substringof('S2B_MSIL2A',Name) and IngestionDate gt datetime'2024-01-01T00:00:00'`. */
  filter?: string | undefined;
  /** Products a request: DHuS serves at most 100. */
  pageSize: number;
  /** Where products go when the hub does not say. */
  collection?: string | undefined;
  /** The source needs sign-in: imported download links are marked so (STAC Authentication). */
  signedIn: boolean;
}

export function dhusSource(api: Api, o: DhusSourceOptions): ImportSource {
  const base = o.url.replace(/\/+$/, "");
  const origin = new URL(base).origin;
  const itemOptions = {
    base,
    collection: o.collection,
    auth: o.signedIn ? { description: `User name and password of the DHuS at ${origin}` } : undefined,
  };
  return {
    describe: `DHuS ${base} ${o.filter ?? ""}${o.collection ? ` into ${o.collection}` : ""}`,
    // A hub has no collections to copy: each is made when its first product arrives.
    collections: async () => [],
    async collection(id) {
      return {
        type: "Collection",
        stac_version: "1.1.0",
        id,
        description: `Products imported from the DHuS at ${base}`,
        license: "other",
        extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
        links: [],
      };
    },
    async page(cursor): Promise<SourcePage> {
      const skip = typeof cursor === "number" ? cursor : 0;
      // `$` written as it is: DHuS's own examples do, and not every server decodes `%24` in a name.
      const params: [string, string][] = [
        ["$format", "json"],
        ["$skip", String(skip)],
        ["$top", String(o.pageSize)],
        ["$orderby", "IngestionDate asc"],
        ["$expand", "Attributes"],
      ];
      if (o.filter) params.push(["$filter", o.filter]);
      const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
      const page = await api.json<{ d?: { results?: DhusProductJson[] } }>(
        `${base}/odata/v1/Products?${query}`,
      );
      const products = page.d?.results ?? [];
      const entries: Entry[] = products.map((p) => {
        try {
          return { item: dhusItem(p, itemOptions) };
        } catch (e) {
          return { failed: { name: p.Name ?? p.Id, reason: (e as Error).message } };
        }
      });
      return { entries, next: products.length < o.pageSize ? undefined : skip + products.length };
    },
  };
}
