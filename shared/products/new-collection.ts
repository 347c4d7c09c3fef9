// A new, still empty collection from its description; ingest widens the extent as items arrive.

import { STAC_VERSION, type StacCollection } from "../stac/types.ts";
import type { CollectionDescription } from "./collections.ts";

export function newCollection(d: CollectionDescription): StacCollection {
  return {
    type: "Collection",
    stac_version: STAC_VERSION,
    id: d.id,
    title: d.title,
    description: d.description,
    keywords: d.keywords,
    license: d.license,
    providers: d.providers,
    extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
    links: d.licenseLinks ? [...d.licenseLinks] : [],
  };
}
