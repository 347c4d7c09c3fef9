// Seeded random STAC items of every footprint class the index must handle: small tiles, swaths,
// strips thousands of km long, footprints across the antimeridian and around the poles.
import type { Geometry, Position, StacItem } from "../../shared/stac/types.ts";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const wrap = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;

/** A rectangle-ish footprint centred at (lon, lat), w × h degrees, written as a mission would (crossing 180 as 179 → -179). */
export function footprint(lon: number, lat: number, w: number, h: number): Geometry {
  const s = Math.max(-89.9, lat - h / 2);
  const n = Math.min(89.9, lat + h / 2);
  const ring: Position[] = [
    [wrap(lon - w / 2), s],
    [wrap(lon + w / 2), s],
    [wrap(lon + w / 2), n],
    [wrap(lon - w / 2), n],
  ];
  ring.push(ring[0]!);
  return { type: "Polygon", coordinates: [ring] };
}

export function randomItem(r: () => number, i: number): StacItem {
  const kind = r();
  let lon = r() * 360 - 180;
  let lat = Math.asin(2 * r() - 1) * (180 / Math.PI);
  let w: number;
  let h: number;
  if (kind < 0.5) [w, h] = [0.01 + r() * 1.5, 0.01 + r() * 1.5];
  else if (kind < 0.8) [w, h] = [2 + r() * 10, 2 + r() * 10];
  else if (kind < 0.9) [w, h] = [5 + r() * 20, 40 + r() * 100];
  else {
    // Near the antimeridian or the poles on purpose.
    lon = r() < 0.5 ? 179 + r() * 2 - 1 : lon;
    lat = r() < 0.5 ? 80 + r() * 9 : lat;
    [w, h] = [0.5 + r() * 6, 0.5 + r() * 6];
  }
  const start = Date.UTC(2015, 0, 1) + Math.floor(r() * 10 * 365 * 86_400_000);
  const long = r() < 0.1;
  const end = start + (long ? Math.floor(r() * 30 * 86_400_000) : Math.floor(r() * 600_000));
  const collection = ["alpha", "beta", "gamma"][Math.floor(r() * 3)]!;
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: `item-${String(i).padStart(5, "0")}`,
    collection,
    geometry: footprint(lon, lat, w, h),
    properties: {
      datetime: null,
      start_datetime: new Date(start).toISOString(),
      end_datetime: new Date(end).toISOString(),
      "eo:cloud_cover": Math.round(r() * 100),
    },
    links: [],
    assets: {},
  };
}
