// Generated subscriptions and changed items for the matching bench and its test: areas from a field to a
// continent (and none), some with a collection, a CQL2 filter or a datetime interval.
import type { Geometry, StacItem } from "../../shared/stac/types.ts";
import type { Matchable } from "../../shared/subscriptions/matcher.ts";
import { compileSearch } from "../../shared/subscriptions/model.ts";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COLLECTIONS = ["sentinel-1-grd", "sentinel-2-l2a", "sentinel-3-olci", "landsat-c2-l2"];
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function box(r: () => number, size: number): [number, number, number, number] {
  const w = Math.min(359, size);
  const h = Math.min(170, size);
  const lon = -180 + r() * (360 - w);
  const lat = -85 + r() * (170 - h);
  return [lon, lat, lon + w, lat + h];
}

/** The search of one generated subscription (as a user would POST it). */
export function randomSearch(r: () => number): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  if (r() < 0.7) s["collections"] = [pick(r, COLLECTIONS)];
  const area = r();
  if (area < 0.45)
    s["bbox"] = box(r, 0.05 + r() * 1); // a field to a district
  else if (area < 0.8)
    s["bbox"] = box(r, 1 + r() * 9); // a region or a country
  else if (area < 0.9)
    s["bbox"] = box(r, 15 + r() * 45); // a continent
  else if (area < 0.95) s["intersects"] = { type: "Point", coordinates: [-180 + r() * 360, -80 + r() * 160] };
  // else: anywhere
  if (r() < 0.4) {
    s["filter"] = `eo:cloud_cover < ${Math.round(5 + r() * 60)}`;
    s["filter-lang"] = "cql2-text";
  }
  if (r() < 0.2) s["datetime"] = `${2024 + Math.floor(r() * 3)}-01-01T00:00:00Z/..`;
  return s;
}

export function randomSubscriptions(r: () => number, n: number): Matchable[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `sub-${i}`,
    events: ["created", "updated", "deleted"] as const,
    search: compileSearch(randomSearch(r)),
  }));
}

/** A changed product: a Sentinel-2 tile, a Sentinel-1 frame or a Sentinel-3 swath somewhere on land or sea. */
export function randomChangedItem(r: () => number, i: number): StacItem {
  const kind = r();
  const size = kind < 0.6 ? 1 : kind < 0.9 ? 2.5 : 12;
  const [w, s, e, n] = box(r, size);
  const geometry: Geometry = {
    type: "Polygon",
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: `changed-${i}`,
    collection: pick(r, COLLECTIONS),
    geometry,
    properties: {
      datetime: new Date(Date.UTC(2023, 0, 1) + Math.floor(r() * 4 * 365 * 86_400_000)).toISOString(),
      "eo:cloud_cover": Math.round(r() * 100),
      platform: "sentinel-2a",
    },
    links: [],
    assets: {},
  };
}
