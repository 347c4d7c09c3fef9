// Deterministic synthetic archive: the footprint classes of the Copernicus missions, a dense national
// region with ten years of revisits, Sentinel-2-like tiles on a fixed grid (revisits share footprints),
// and footprints across the antimeridian and beyond 80° latitude; in three shapes (SHAPES).
import type { Position, StacItem } from "../../shared/stac/types.ts";
import { rng } from "../../test/support/random-items.ts";

export const BENCH_COLLECTIONS = [
  "sentinel-1-grd",
  "sentinel-2-l2a",
  "sentinel-3-olci",
  "sentinel-5p-l2",
] as const;
export type FootprintClass =
  | "s2-tile"
  | "s2-dense"
  | "s1-swath"
  | "s1-dense"
  | "s3-swath"
  | "s5p-strip"
  | "edge"
  | "uniform";

/**
 * The catalogue's shape. `default`: the classes below, items naming their tile (`grid:code`) or orbit
 * frame (`sat:*`). `no-tiles`: the same footprints and times, without any property the index names a
 * tile from (`grid:code`, `sat:relative_orbit`, `sat:orbit_state`, `sat:anx_datetime`), as items
 * imported from other catalogues often come. `uniform`: none of the project's assumptions — boxes of
 * every size from 1 km to continental (log-uniform side), centres uniform on the sphere up to 89°
 * (polar and antimeridian ones included), no repeated footprints, any time in ten years, any duration
 * from seconds to a day.
 */
export const SHAPES = ["default", "no-tiles", "uniform"] as const;
export type Shape = (typeof SHAPES)[number];

export function isShape(s: string): s is Shape {
  return (SHAPES as readonly string[]).includes(s);
}

/** Czechia-sized dense region (bbox), where a tenth of the archive's tiles and swaths fall. */
export const DENSE_REGION = { west: 12.0, south: 48.5, east: 19.0, north: 51.1 } as const;
const T0 = Date.UTC(2016, 0, 1);
const SPAN_MS = 10 * 365 * 86_400_000;

const wrap = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;
const KM_PER_DEG = 111.32;

/** A footprint of w × h km centred at (lon, lat), rotated by `tilt` degrees of longitude per degree of latitude. */
function box(lon: number, lat: number, wKm: number, hKm: number, tilt = 0): Position[] {
  const dLat = hKm / KM_PER_DEG / 2;
  const s = Math.max(-89, lat - dLat);
  const n = Math.min(89, lat + dLat);
  const half = (at: number) =>
    Math.min(60, wKm / (KM_PER_DEG * Math.max(0.05, Math.cos((at * Math.PI) / 180))) / 2);
  const ring: Position[] = [
    [wrap(lon - half(s) - tilt * (s - lat)), s],
    [wrap(lon + half(s) - tilt * (s - lat)), s],
    [wrap(lon + half(n) - tilt * (n - lat)), n],
    [wrap(lon - half(n) - tilt * (n - lat)), n],
  ];
  ring.push(ring[0]!);
  return ring;
}

/** An orbit-long strip (Sentinel-5P, Sentinel-3 full orbit): a track from 80°S to 80°N, wKm wide. */
function strip(lon: number, wKm: number): Position[] {
  const left: Position[] = [];
  const right: Position[] = [];
  for (let lat = -80; lat <= 80; lat += 10) {
    const c = lon - lat * 0.15; // the ground track drifts west as it climbs
    const half = Math.min(40, wKm / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180)) / 2);
    left.push([wrap(c - half), lat]);
    right.push([wrap(c + half), lat]);
  }
  const ring = [...left, ...right.reverse()];
  ring.push(ring[0]!);
  return ring;
}

/**
 * Sentinel-2-like tiles sit on a fixed grid, as MGRS tiles do: 110 km tiles every 100 km (neighbours
 * overlap), in rows of latitude. Each tile lies at a swath's edge for one relative orbit, whose passes
 * cover only a strip of it (a fixed share, on a fixed side, as real edge passes do): `partial`.
 */
const TILE = { stepKm: 100, sizeKm: 110, partialShare: 0.25 } as const;

function gridTile(lon: number, lat: number, partial: boolean): { code: string; ring: Position[] } {
  const dLat = TILE.stepKm / KM_PER_DEG;
  const row = Math.min(Math.floor((lat + 90) / dLat), Math.floor(180 / dLat) - 1);
  const cLat = -90 + (row + 0.5) * dLat;
  const cols = Math.max(1, Math.floor((360 * KM_PER_DEG * Math.cos((cLat * Math.PI) / 180)) / TILE.stepKm));
  const col = Math.floor(((wrap(lon) + 180) / 360) * cols) % cols;
  const cLon = -180 + (col + 0.5) * (360 / cols);
  const code = `BENCH-${row}-${col}`;
  if (!partial) return { code, ring: box(cLon, cLat, TILE.sizeKm, TILE.sizeKm) };
  // The tile's edge pass: a share of 0.3–0.7 of its width, on the east or west side.
  const h = Math.abs(Math.sin(row * 12.9898 + col * 78.233) * 43758.5453) % 1;
  const share = 0.3 + 0.4 * h;
  const side = h < 0.5 ? -1 : 1;
  const shiftKm = (side * (TILE.sizeKm * (1 - share))) / 2;
  const shiftDeg = shiftKm / (KM_PER_DEG * Math.max(0.05, Math.cos((cLat * Math.PI) / 180)));
  return { code, ring: box(cLon + shiftDeg, cLat, TILE.sizeKm * share, TILE.sizeKm) };
}

/**
 * Sentinel-1-like scenes repeat on orbit frames, as slices of one relative orbit do: frame `f` has a
 * relative orbit, a direction and a fixed offset from the ascending node (whole 25 s slices), so its
 * revisits share one footprint up to a few km of jitter. Frame numbers map to distinct
 * (orbit, direction, offset) triples for f < 175 × 2 × 118 (offsets within the orbit).
 */
const S1 = { orbits: 175, periodS: 5_924.57, sliceS: 25, worldFrames: 10_000, denseTracks: 6 } as const;

function orbitFrame(f: number): { orbit: number; state: "ascending" | "descending"; offsetS: number } {
  const rest = Math.floor(f / S1.orbits);
  const state = rest % 2 === 0 ? "ascending" : "descending";
  const slot = Math.floor(rest / 2);
  // Descending passes start half an orbit later; 3.4 s into the 10 s frames of shared/index/rows.ts.
  return {
    orbit: 1 + (f % S1.orbits),
    state,
    offsetS: (state === "ascending" ? 0 : 2_950) + slot * S1.sliceS + 3.4,
  };
}

export interface GeneratedItem {
  item: StacItem;
  cls: FootprintClass;
}

/** Item `i` of the archive with this seed and shape: the same inputs always give the same item. */
export function generateItem(seed: number, i: number, shape: Shape = "default"): GeneratedItem {
  if (shape === "uniform") return uniformItem(seed, i);
  const g = shapedItem(seed, i);
  if (shape === "no-tiles") {
    for (const k of ["grid:code", "sat:relative_orbit", "sat:orbit_state", "sat:anx_datetime"])
      delete g.item.properties[k];
  }
  return g;
}

function shapedItem(seed: number, i: number): GeneratedItem {
  const r = rng(seed * 1_000_003 + i);
  const k = r();
  const anyLon = () => r() * 360 - 180;
  const anyLat = (max: number) =>
    Math.asin((2 * r() - 1) * Math.sin((max * Math.PI) / 180)) * (180 / Math.PI);
  const dense = () => [
    DENSE_REGION.west + r() * (DENSE_REGION.east - DENSE_REGION.west),
    DENSE_REGION.south + r() * (DENSE_REGION.north - DENSE_REGION.south),
  ];
  let cls: FootprintClass;
  let ring: Position[];
  let collection: string;
  let tile: string | undefined;
  let durationMs = 3_000 + Math.floor(r() * 20_000);
  let frame: number | undefined;
  // Revisits of one orbit frame: a few km apart.
  const jitter = () => (r() - 0.5) * 0.04;
  if (k < 0.55) {
    const [x, y] = k < 0.45 ? [anyLon(), anyLat(84)] : dense();
    const t = gridTile(x!, y!, r() < TILE.partialShare);
    [cls, collection, ring, tile] = [k < 0.45 ? "s2-tile" : "s2-dense", "sentinel-2-l2a", t.ring, t.code];
  } else if (k < 0.6) {
    // The dense region: six tracks (three each way) of three contiguous 170 km slices.
    const t = Math.floor(r() * S1.denseTracks);
    const j = Math.floor(r() * 3);
    const asc = t % 2 === 0;
    const lon =
      DENSE_REGION.west +
      ((Math.floor(t / 2) + (asc ? 0.5 : 1)) * (DENSE_REGION.east - DENSE_REGION.west)) / 3;
    const lat = DENSE_REGION.south + 0.1 + j * (170 / KM_PER_DEG);
    frame = S1.worldFrames + 1_000 + 3 * t + j;
    [cls, collection, ring] = [
      "s1-dense",
      "sentinel-1-grd",
      box(lon + jitter(), lat + jitter(), 250, 170, asc ? 0.2 : -0.2),
    ];
  } else if (k < 0.78) {
    frame = Math.floor(r() * S1.worldFrames);
    const at = rng(frame * 7_919 + 17);
    const lon = at() * 360 - 180;
    const lat = Math.asin((2 * at() - 1) * Math.sin((82 * Math.PI) / 180)) * (180 / Math.PI);
    [cls, collection, ring] = [
      "s1-swath",
      "sentinel-1-grd",
      box(lon + jitter(), lat + jitter(), 250, 170, 0.2),
    ];
  } else if (k < 0.9) {
    [cls, collection, ring] = ["s3-swath", "sentinel-3-olci", box(anyLon(), anyLat(75), 1200, 1200, 0.2)];
    durationMs = 180_000;
  } else if (k < 0.95) {
    [cls, collection, ring] = ["s5p-strip", "sentinel-5p-l2", strip(anyLon(), 2600)];
    durationMs = 100 * 60_000;
  } else {
    // Across the antimeridian (Fiji, Chukotka) or beyond 80° latitude.
    const polar = r() < 0.5;
    let lon = polar ? anyLon() : 180 + (r() - 0.5) * 6;
    let lat = polar ? (r() < 0.7 ? 80 + r() * 4 : -(80 + r() * 3)) : anyLat(70);
    collection = r() < 0.7 ? "sentinel-2-l2a" : "sentinel-1-grd";
    if (collection === "sentinel-1-grd") {
      // Sentinel-1 repeats here too: frames on a 1° (polar: 1° × 6°) grid of centres, slightly off 180°.
      const row = Math.floor(lat);
      const col = polar ? Math.floor((lon + 180) / 6) : Math.floor(lon * 2) % 6;
      frame = S1.worldFrames + 2_000 + (row + 90) * 60 + col;
      lon = polar ? -177 + col * 6 : 178.6 + col * 0.5;
      lat = row + 0.5;
      [lon, lat] = [lon + jitter(), lat + jitter()];
    }
    [cls, ring] = ["edge", box(lon, lat, 110, 110)];
  }
  const start = T0 + Math.floor(r() * SPAN_MS);
  const id = `${collection.slice(0, 6)}-${String(i).padStart(8, "0")}`;
  const item = benchItem({ id, collection, ring, start, durationMs }, r, () => ({
    ...(tile ? { "grid:code": tile } : {}),
    ...(frame === undefined ? {} : orbitProperties(frame, start, (r() - 0.5) * 0.6)),
  }));
  return { item, cls };
}

/**
 * A generated item: its time span, cloud cover for Sentinel-2, the `extra` properties, a platform. The
 * draws from `r` keep this order (cloud, extra, platform), so a seed gives the same catalogue.
 */
function benchItem(
  o: { id: string; collection: string; ring: Position[]; start: number; durationMs: number },
  r: () => number,
  extra: () => Record<string, unknown>,
): StacItem {
  const cloud = o.collection === "sentinel-2-l2a" ? { "eo:cloud_cover": Math.round(r() * 1000) / 10 } : {};
  const more = extra();
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: o.id,
    collection: o.collection,
    geometry: { type: "Polygon", coordinates: [o.ring] },
    properties: {
      datetime: new Date(o.start).toISOString(),
      start_datetime: new Date(o.start).toISOString(),
      end_datetime: new Date(o.start + o.durationMs).toISOString(),
      ...cloud,
      ...more,
      platform: `${o.collection.slice(0, 10)}${r() < 0.5 ? "a" : "b"}`,
    },
    links: [],
    assets: {},
  };
}

/** The frame's orbit, and its ascending node: the frame's offset before the start, give or take `jitterS`. */
function orbitProperties(frame: number, start: number, jitterS: number): Record<string, unknown> {
  const f = orbitFrame(frame);
  const anx = start - Math.round((f.offsetS + jitterS) * 1000);
  return {
    "sat:relative_orbit": f.orbit,
    "sat:orbit_state": f.state,
    "sat:anx_datetime": new Date(anx).toISOString(),
  };
}

const UNIFORM = { minKm: 1, maxKm: 5_000, maxDurationMs: 86_400_000 } as const;

/** An item of the `uniform` shape: a box of any size anywhere, at any time, of any of the collections. */
function uniformItem(seed: number, i: number): GeneratedItem {
  const r = rng(seed * 1_000_003 + i + 0x5eed);
  const size = () => UNIFORM.minKm * (UNIFORM.maxKm / UNIFORM.minKm) ** r();
  const lon = r() * 360 - 180;
  const lat = Math.asin((2 * r() - 1) * Math.sin((89 * Math.PI) / 180)) * (180 / Math.PI);
  const ring = box(lon, lat, size(), size(), (r() - 0.5) * 0.6);
  const collection = BENCH_COLLECTIONS[Math.floor(r() * BENCH_COLLECTIONS.length)]!;
  const start = T0 + Math.floor(r() * SPAN_MS);
  const durationMs = Math.floor(1_000 + (UNIFORM.maxDurationMs - 1_000) * r() ** 4);
  const id = `${collection.slice(0, 6)}-u${String(i).padStart(8, "0")}`;
  const item = benchItem({ id, collection, ring, start, durationMs }, r, () => ({}));
  return { item, cls: "uniform" };
}
