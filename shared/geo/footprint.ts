// The one footprint pipeline every reader goes through: rings as the product writes them → the region
// they enclose on the sphere → valid GeoJSON (RFC 7946) in [-180, 180], split at the antimeridian,
// closed over the pole it goes round, checked for area and for holding the product's centre.
import { ProductError } from "../errors.ts";
import type { BBox, Geometry } from "../stac/types.ts";
import { planarGeometry } from "./antimeridian.ts";
import { pointInPolygon } from "./geometry.ts";
import { geometryBBox } from "./normalize.ts";
import { FULL_SPHERE, leftArea, lonStep, steradiansToKm2 } from "./sphere.ts";
import { geometryAreaKm2, geometryProblems } from "./validity.ts";

type XY = [number, number];

export interface FootprintOptions {
  /**
   * Which of the two regions a ring bounds. "smaller" (default): the smaller one, whatever the vertex
   * order; "left": the one on the left of the ring as written (formats that fix the orientation).
   */
  encloses?: "smaller" | "left";
  /**
   * What an edge between two vertices is: a great circle (default; satellite footprints), or a straight
   * line in lon/lat as RFC 7946 defines it (footprints that already are GeoJSON).
   */
  edges?: "great-circle" | "straight";
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
  const geometry = planarGeometry(opts.edges === "straight" ? pts : densify(pts));
  return checked(geometry, steradiansToKm2(leftArea(pts)), opts);
}

/** Valid GeoJSON, drawn area near the area on the sphere and plausible, the centre inside. */
function checked(geometry: Geometry, onSphere: number, opts: FootprintOptions): Footprint {
  const label = opts.label ?? "footprint";
  const problems = geometryProblems(geometry);
  if (problems.length) throw new ProductError(`${label}: not valid GeoJSON: ${problems[0]}`);
  const areaKm2 = geometryAreaKm2(geometry);
  // The plane's straight edges and the sphere's great circles differ a little; not by a factor.
  if (Math.abs(areaKm2 - onSphere) > 0.25 * onSphere + 1)
    throw new ProductError(
      `${label}: area ${Math.round(areaKm2)} km² drawn, ${Math.round(onSphere)} km² on the sphere`,
    );
  if (opts.areaKm2 && (areaKm2 < opts.areaKm2[0] || areaKm2 > opts.areaKm2[1]))
    throw new ProductError(
      `${label}: area ${Math.round(areaKm2)} km² is outside the plausible ${opts.areaKm2[0]}–${opts.areaKm2[1]} km²`,
    );
  if (opts.centre && !containsPoint(geometry, opts.centre))
    throw new ProductError(
      `${label}: the product centre ${JSON.stringify(opts.centre)} is outside the footprint`,
    );
  return { geometry, bbox: geometryBBox(geometry), areaKm2 };
}

/**
 * The footprint of a latitude/longitude grid (gridded products have no ring): the box its cells cover,
 * `[west, south, east, north]`, edges along meridians and parallels. A box all round the globe is one
 * polygon from -180 to 180; west > east crosses the antimeridian and is split. The same checks as a ring.
 */
export function boxFootprint(box: BBox, opts: Omit<FootprintOptions, "encloses" | "edges"> = {}): Footprint {
  const label = opts.label ?? "footprint";
  const [west, south, east, north] = box;
  const inRange = (x: number, limit: number) => Number.isFinite(x) && Math.abs(x) <= limit;
  if (![west, east].every((x) => inRange(x, 180)) || ![south, north].every((y) => inRange(y, 90)))
    throw new ProductError(`${label}: grid bounds ${JSON.stringify(box)} are out of range`);
  if (!(south < north) || west === east)
    throw new ProductError(`${label}: grid bounds ${JSON.stringify(box)} are empty`);
  const width = (west < east ? east - west : east - west + 360) * (Math.PI / 180);
  const onSphere = width * (Math.sin((north * Math.PI) / 180) - Math.sin((south * Math.PI) / 180));
  return checked(boxGeometry(box), steradiansToKm2(onSphere), opts);
}

/**
 * A box as GeoJSON, with a vertex at least every 90° along its parallels: an edge from -180 to 180
 * would read as a jump across the antimeridian rather than the way round the globe.
 */
function boxGeometry(box: BBox): Geometry {
  const ring = (w: number, s: number, e: number, n: number): XY[] => {
    const steps = Math.ceil((e - w) / 90);
    const along = Array.from({ length: steps + 1 }, (_, i) => w + ((e - w) * i) / steps);
    return [...along.map((x): XY => [x, s]), ...along.reverse().map((x): XY => [x, n]), [w, s]];
  };
  if (box[0] <= box[2]) return { type: "Polygon", coordinates: [ring(box[0], box[1], box[2], box[3])] };
  return {
    type: "MultiPolygon",
    coordinates: [[ring(box[0], box[1], 180, box[3])], [ring(-180, box[1], box[2], box[3])]],
  };
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

/** How far (degrees of arc) a straight lon/lat edge may stray from its great circle before it is split. */
const MAX_STRAY_DEG = 0.1;

/**
 * Edges are great circles on the sphere but straight lines on the plane the index and GeoJSON draw
 * on; where the two part by more than MAX_STRAY_DEG (wide swath ends, corners far apart, anything near
 * a pole) the edge gets points along its great circle. Short or meridian-like edges stay as they are.
 */
function densify(ring: XY[]): XY[] {
  const out: XY[] = [];
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    out.push(a);
    splitEdge(a, ring[(i + 1) % ring.length]!, out, 0);
  }
  return out;
}

function splitEdge(a: XY, b: XY, out: XY[], depth: number): void {
  const va = toVector(a);
  const vb = toVector(b);
  const sum = [va[0] + vb[0], va[1] + vb[1], va[2] + vb[2]];
  const len = Math.hypot(sum[0]!, sum[1]!, sum[2]!);
  if (len < 1e-9 || depth > 12) return;
  const mid: XY = [
    (Math.atan2(sum[1]!, sum[0]!) * 180) / Math.PI,
    (Math.asin(Math.max(-1, Math.min(1, sum[2]! / len))) * 180) / Math.PI,
  ];
  const straight: XY = [a[0] + lonStep(a[0], b[0]) / 2, (a[1] + b[1]) / 2];
  const vm = toVector(mid);
  const vs = toVector(straight);
  const stray =
    (Math.acos(Math.max(-1, Math.min(1, vm[0] * vs[0] + vm[1] * vs[1] + vm[2] * vs[2]))) * 180) / Math.PI;
  if (stray <= MAX_STRAY_DEG) return;
  splitEdge(a, mid, out, depth + 1);
  out.push(mid);
  splitEdge(mid, b, out, depth + 1);
}

function toVector([lon, lat]: XY): [number, number, number] {
  const r = Math.PI / 180;
  return [Math.cos(lat * r) * Math.cos(lon * r), Math.cos(lat * r) * Math.sin(lon * r), Math.sin(lat * r)];
}

function same(a: readonly number[], b: readonly number[]): boolean {
  return Math.abs(a[0]! - b[0]!) < 1e-12 && Math.abs(a[1]! - b[1]!) < 1e-12;
}

function wrap(x: number): number {
  if (x >= -180 && x <= 180) return x;
  return ((((x + 180) % 360) + 360) % 360) - 180;
}
