// Synthetic items written straight into a test's catalogue (rows, record, collection
// extent) so that API tests control every property they assert on.
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";
import type { Catalogue } from "../../shared/storage/catalogue.ts";
import type { HttpClient } from "../support/http-client.ts";
import { footprint } from "../support/random-items.ts";

export interface ItemSpec {
  id: string;
  collection: string;
  datetime: string;
  lon: number;
  lat: number;
  size?: number;
  properties?: Record<string, unknown>;
}

export function makeItem(s: ItemSpec): StacItem {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: s.id,
    collection: s.collection,
    geometry: footprint(s.lon, s.lat, s.size ?? 1, s.size ?? 1),
    properties: { datetime: s.datetime, ...s.properties },
    links: [],
    assets: { data: { href: `https://example.com/${s.id}.tif`, type: "image/tiff" } },
  };
}

export function makeCollection(
  id: string,
  title: string,
  description: string,
  keywords: string[],
): StacCollection {
  return {
    type: "Collection",
    stac_version: "1.1.0",
    id,
    title,
    description,
    keywords,
    license: "CC-BY-4.0",
    extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
    links: [],
  };
}

export async function seed(
  stack: { catalogue: Catalogue },
  collections: StacCollection[],
  items: StacItem[],
): Promise<void> {
  for (const c of collections) await stack.catalogue.putCollection(c);
  for (const item of items) {
    const built = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, built.rows, built.record, "v1");
    await stack.catalogue.extendCollection(item.collection!, built.summary);
  }
}

export const ids = (body: { features: { id: string }[] }) => body.features.map((f) => f.id);
export const sortedIds = (body: { features: { id: string }[] }) => ids(body).sort();

export interface Page {
  features: { id: string }[];
  links: { rel: string; href: string; method?: string; body?: unknown }[];
}

/** Follows next links (GET or POST) to the end, returning every page. */
export async function allPages(stack: HttpClient, first: { status: number; body: unknown }): Promise<Page[]> {
  const pages = [first.body as Page];
  let page = first.body as Page;
  for (let n = 0; n < 100; n++) {
    const next = page.links.find((l) => l.rel === "next");
    if (!next) break;
    const res = next.method === "POST" ? await stack.post(next.href, next.body) : await stack.get(next.href);
    if (res.status !== 200) throw new Error(`next page: ${res.status} ${JSON.stringify(res.body)}`);
    page = res.body as Page;
    pages.push(page);
  }
  return pages;
}
