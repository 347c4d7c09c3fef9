// A collection with nothing but its id, for tests about items and searches.
import { newCollection } from "../../shared/products/new-collection.ts";
import type { StacCollection } from "../../shared/stac/types.ts";

export const testCollection = (id: string): StacCollection =>
  newCollection({ id, title: id, description: id, license: "other", providers: [], keywords: [] });

/** A minimal STAC sidecar (a point in Czechia, one instant) of item `id` in `collection`, as uploaded. */
export const pointSidecar = (collection: string, id: string): string =>
  JSON.stringify({
    type: "Feature",
    stac_version: "1.1.0",
    id,
    collection,
    geometry: { type: "Point", coordinates: [14, 50] },
    bbox: [14, 50, 14, 50],
    properties: { datetime: "2025-06-01T10:00:00Z" },
    links: [],
    assets: {},
  });
