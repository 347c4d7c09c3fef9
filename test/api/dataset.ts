// One small, fully known catalogue for the API extension tests: two collections, 24 items with
// varied time, place, cloud cover, platform, titles and keywords. Tests compute expectations from it.
import type { StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "./seed.ts";

export interface Spec {
  id: string;
  collection: "optical" | "radar";
  datetime: string;
  lon: number;
  lat: number;
  cloud?: number;
  platform: string;
  title: string;
  keywords: string[];
  sun: number;
  orbit: number;
}

export const SPECS: Spec[] = Array.from({ length: 24 }, (_, i) => {
  const radar = i % 3 === 0;
  const day =
    i < 12 ? `2024-01-${String(i + 1).padStart(2, "0")}` : `2024-02-${String(i - 11).padStart(2, "0")}`;
  return {
    id: `scene-${String(i).padStart(2, "0")}`,
    collection: radar ? "radar" : "optical",
    datetime: `${day}T10:00:00.000Z`,
    lon: -10 + i * 2,
    lat: 40 + (i % 5),
    ...(radar ? {} : { cloud: (i * 7) % 100 }),
    platform: radar ? "sentinel-1a" : i % 2 ? "sentinel-2a" : "sentinel-2b",
    title: i === 5 ? "Café in Praha" : i === 8 ? "Flooded river Vltava" : `Scene ${i}`,
    keywords: radar ? ["sar", "grd"] : i === 7 ? ["optical", "snow"] : ["optical", "l2a"],
    sun: 20 + i,
    orbit: i % 4,
  };
});

export const COLLECTIONS = [
  makeCollection("optical", "Optical scenes", "Multispectral images of Europe.", ["optical", "msi"]),
  makeCollection("radar", "Radar scenes", "C-band SAR backscatter.", ["sar", "c-band"]),
];

export const ITEMS: StacItem[] = SPECS.map((s) =>
  makeItem({
    id: s.id,
    collection: s.collection,
    datetime: s.datetime,
    lon: s.lon,
    lat: s.lat,
    properties: {
      ...(s.cloud === undefined ? {} : { "eo:cloud_cover": s.cloud }),
      platform: s.platform,
      title: s.title,
      keywords: s.keywords,
      "view:sun_elevation": s.sun,
      "sat:relative_orbit": s.orbit,
      "grid:code": `MGRS-${30 + (Number(s.id.slice(-2)) % 3)}UVR`,
    },
  }),
);

export const idsWhere = (p: (s: Spec) => boolean) =>
  SPECS.filter(p)
    .map((s) => s.id)
    .sort();
