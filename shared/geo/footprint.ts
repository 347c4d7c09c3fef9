// The one footprint pipeline every reader goes through: rings as the product writes them → the region
// they enclose on the sphere → valid GeoJSON (RFC 7946) in [-180, 180], split at the antimeridian,
// closed over the pole it goes round, checked for area and for holding the product's centre.
import { ProductError } from "../http/errors.ts";
import type { BBox, Geometry, Position, Ring } from "../stac/types.ts";
import { pointInPolygon } from "./geometry.ts";
import { geometryBBox } from "./normalize.ts";
import { FULL_SPHERE, leftArea, lonStep, openRing, steradiansToKm2, windingAroundAxis } from "./sphere.ts";
import { geometryAreaKm2, geometryProblems } from "./validity.ts";

type XY = [number, number];

export interface FootprintOptions {
  /**
   * Which of the two regions a ring bounds. "smaller" (default): the smaller one, whatever the vertex
   * order; "left": the one on the left of the ring as written (formats that fix the orientation).
   */
  encloses?: "smaller" | "left";
  /** A point known to lie inside (the product's centre), [lon, lat]. */
  centre?: XY | undefined;
  /** Plausible area for the product type, km²: [min, max]. */
  areaKm2?: [number, number] | undefined;
  /** Names the product in error messages. */
  label?: string;
}

export interface Footprint {
  geometry: Geometry;
  bbox: BBox;
  /** Area on the sphere, km². */
  areaKm2: number;
}

/** `ring` is [lon, lat] pairs, closed or not, in any orientation. */
export function footprint(ring: XY[], opts: FootprintOptions = {}): Footprint {
  const label = opts.label ?? "footprint";
  let pts = clean(ring);
  if (pts.length < 3) throw new ProductError(`${label}: fewer than 3 distinct points`);
  const left = leftArea(pts);
  if ((opts.encloses ?? "smaller") === "smaller" && left > FULL_SPHERE / 2) pts = pts.reverse();
  const geometry = planarGeometry(pts);
  const problems = geometryProblems(geometry);
  if (problems.length) throw new ProductError(`${label}: not valid GeoJSON: ${problems[0]}`);
  const areaKm2 = geometryAreaKm2(geometry);
  const onSphere = steradiansToKm2(leftArea(pts));
  // The plane's straight edges and the sphere's great circles differ a little; not by a factor.
  if (Math.abs(areaKm2 - onSphere) > 0.25 * onSphere + 1)
    throw new ProductError(
      `${label}: area ${round(areaKm2)} km² drawn, ${round(onSphere)} km² on the sphere`,
    );
  if (opts.areaKm2 && (areaKm2 < opts.areaKm2[0] || areaKm2 > opts.areaKm2[1]))
    throw new ProductError(
      `${label}: area ${round(areaKm2)} km² is outside the plausible ${opts.areaKm2[0]}–${opts.areaKm2[1]} km²`,
    );
  if (opts.centre && !containsPoint(geometry, opts.centre))
    throw new ProductError(
      `${label}: the product centre ${JSON.stringify(opts.centre)} is outside the footprint`,
    );
  return { geometry, bbox: geometryBBox(geometry), areaKm2 };
}

/** Parses "lat lon lat lon ..." (or "lat,lon lat,lon") into [lon, lat] pairs. */
export function latLonPairs(text: string): XY[] {
  const nums = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(Number);
  const out: XY[] = [];
  for (let i = 0; i + 1 < nums.length; i += 2) out.push([nums[i + 1]!, nums[i]!]);
  return out;
}

export function containsPoint(g: Geometry, p: XY): boolean {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  return polys.some((poly) => pointInPolygon(p, poly));
}

/** Finite, longitudes wrapped into [-180, 180], no repeated points, no zero-width spikes, open. */
function clean(ring: XY[]): XY[] {
  const out: XY[] = [];
  for (const [x, y] of ring) {
    if (!Number.isFinite(x) || !Number.isFinite(y) || Math.abs(y) > 90) continue;
    const p: XY = [wrap(x), y];
    const prev = out.at(-1);
    if (prev && same(prev, p)) continue;
    out.push(p);
  }
  while (out.length > 1 && same(out[0]!, out.at(-1)!)) out.pop();
  // A→B→A: the ring goes out and comes back along the same edge.
  for (let changed = true; changed && out.length >= 3; ) {
    changed = false;
    for (let i = 0; i < out.length && out.length >= 3; i++) {
      const a = out[(i + out.length - 1) % out.length]!;
      const c = out[(i + 1) % out.length]!;
      if (same(a, c)) {
        out.splice(i, 1);
        if (same(out[(i + out.length - 1) % out.length]!, out[i % out.length]!))
          out.splice(i % out.length, 1);
        changed = true;
        break;
      }
    }
  }
  return out;
}

/**
 * The ring's left-hand region drawn on the lon/lat plane. Longitudes are unwrapped; a ring going once
 * round the axis encloses the pole on its left (north when it runs east) and is closed over it; a ring
 * whose left-hand side holds both poles is the world minus its right-hand side.
 */
function planarGeometry(ring: XY[]): Geometry {
  const turns = windingAroundAxis(ring);
  if (Math.abs(turns) > 1) throw new ProductError("footprint winds more than once round the pole");
  if (turns !== 0) return splitAtAntimeridian(polarCap(ring, turns > 0 ? 90 : -90));
  const unwrapped = unwrap(ring);
  if (shoelace(unwrapped) > 0) return splitAtAntimeridian(unwrapped);
  return worldMinus(unwrapped.slice().reverse());
}

/**
 * A ring once round the axis, as one shape from one side of the map to the other: started just after
 * it crosses the antimeridian, ended where it crosses it again, and closed along the pole.
 */
function polarCap(ring: XY[], pole: number): XY[] {
  const n = ring.length;
  const c = ring.findIndex((p, i) => Math.abs(ring[(i + 1) % n]![0] - p[0]) > 180);
  const rotated = [...ring.slice(c + 1), ...ring.slice(0, c + 1)];
  const path = unwrap(rotated);
  const shift = 360 * Math.floor((path[0]![0] + 180) / 360);
  const body = path.map(([x, y]) => [x - shift, y] as XY);
  const first = body[0]!;
  const last = body.at(-1)!;
  const edge = pole > 0 ? 180 : -180;
  const end = last[0] + lonStep(last[0], first[0]);
  const lat = last[1] + ((edge - last[0]) / (end - last[0])) * (first[1] - last[1]);
  return dedupe([[-edge, lat], ...body, [edge, lat], [edge, pole], [-edge, pole]]);
}

/** Cuts a counter-clockwise ring with unwrapped longitudes into parts within [-180, 180]. */
function splitAtAntimeridian(shape: XY[]): Geometry {
  const xs = shape.map((p) => p[0]);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const parts: XY[][] = [];
  for (let k = Math.floor((minX + 180) / 360); k <= Math.floor((maxX + 180) / 360 - 1e-12); k++) {
    const lo = -180 + 360 * k;
    const clipped = dedupe(
      clip(clip(shape, lo, 1), lo + 360, -1).map(([x, y]) => [round(x - 360 * k), y] as XY),
    );
    if (clipped.length >= 3 && Math.abs(shoelace(clipped)) > 1e-12) parts.push(clipped);
  }
  if (parts.length === 0) throw new ProductError("footprint has no area");
  const polygons = parts.map((p) => [close(p)]);
  return polygons.length === 1
    ? { type: "Polygon", coordinates: polygons[0]! }
    : { type: "MultiPolygon", coordinates: polygons };
}

/**
 * The world minus a counter-clockwise region that holds neither pole: a hole when the region lies within
 * [-180, 180], otherwise the world with a notch cut into each side of the antimeridian.
 */
function worldMinus(hole: XY[]): Geometry {
  const xs = hole.map((p) => p[0]);
  const shift = 360 * Math.floor((Math.min(...xs) + 180) / 360);
  const r = hole.map(([x, y]) => [x - shift, y] as XY);
  const maxX = Math.max(...r.map((p) => p[0]));
  if (maxX <= 180) {
    return { type: "Polygon", coordinates: [close(WORLD), close(r.slice().reverse())] };
  }
  // East notch: the part of the region west of +180, traced clockwise from its lowest point on the edge.
  const east = notch(dedupe(clip(r, 180, -1)), 180);
  const west = notch(dedupe(clip(r, 180, 1).map(([x, y]) => [x - 360, y] as XY)), -180);
  const ring: XY[] = [[-180, -90], [180, -90], ...east, [180, 90], [-180, 90], ...west];
  return { type: "Polygon", coordinates: [close(dedupe(ring))] };
}

const WORLD: XY[] = [
  [-180, -90],
  [180, -90],
  [180, 90],
  [-180, 90],
];

/**
 * A counter-clockwise piece touching the vertical line x = edge, as the path the world's boundary takes
 * round it: along the edge in the world's direction (up at +180, down at -180), around the piece the
 * other way.
 */
function notch(piece: XY[], edge: number): XY[] {
  const onEdge = (p: XY) => Math.abs(p[0] - edge) < 1e-9;
  // The piece runs along the edge up (at +180) or down (at -180) from `from` to `to`; the world goes
  // round it the other way: from `from`, backwards along the piece, to `to`.
  const n = piece.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const a = piece[i]!;
    const b = piece[(i + 1) % n]!;
    if (onEdge(a) && onEdge(b) && (edge > 0 ? b[1] > a[1] : b[1] < a[1])) {
      start = i;
      break;
    }
  }
  if (start < 0) throw new ProductError("footprint around both poles: cannot cut it at the antimeridian");
  const out: XY[] = [];
  for (let k = 0; k < n; k++) out.push(piece[(start - k + n) % n]!);
  return out;
}

function unwrap(ring: XY[]): XY[] {
  const out: XY[] = [];
  for (const [x, y] of ring) {
    const prev = out.at(-1);
    out.push(prev ? [prev[0] + lonStep(prev[0], x), y] : [x, y]);
  }
  return out;
}

/** Sutherland–Hodgman against the half-plane sign*(x - at) >= 0. */
function clip(ring: XY[], at: number, sign: 1 | -1): XY[] {
  const out: XY[] = [];
  const inside = (p: XY) => sign * (p[0] - at) >= -1e-12;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    if (inside(a)) out.push(a);
    if (inside(a) !== inside(b)) {
      const t = (at - a[0]) / (b[0] - a[0]);
      out.push([at, a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

/** Twice the signed planar area: > 0 counter-clockwise. */
function shoelace(ring: XY[]): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a;
}

function dedupe(ring: XY[]): XY[] {
  const out = ring.filter((p, i) => i === 0 || !same(p, ring[i - 1]!));
  while (out.length > 1 && same(out[0]!, out.at(-1)!)) out.pop();
  // Drop points on a straight line along x = ±180 or y = ±90 (left by clipping and pole closing).
  return out.filter((p, i) => {
    const a = out[(i + out.length - 1) % out.length]!;
    const b = out[(i + 1) % out.length]!;
    const alongX = a[0] === p[0] && p[0] === b[0] && Math.abs(p[0]) === 180;
    const alongY = a[1] === p[1] && p[1] === b[1] && Math.abs(p[1]) === 90;
    return !(alongX || alongY) || out.length <= 3;
  });
}

function close(ring: XY[]): Ring {
  return [...ring, ring[0]!].map((p) => [p[0], p[1]] as Position);
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return Math.abs(a[0]! - b[0]!) < 1e-12 && Math.abs(a[1]! - b[1]!) < 1e-12;
}

function wrap(x: number): number {
  if (x >= -180 && x <= 180) return x;
  return ((((x + 180) % 360) + 360) % 360) - 180;
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

export { openRing };
