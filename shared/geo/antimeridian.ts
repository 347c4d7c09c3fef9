// Footprints as valid GeoJSON: rings that cross ±180° are cut into a MultiPolygon, rings that go round
// a pole are closed over it, and the bbox crosses the antimeridian (west > east) when the shape does.
import type { BBox, Geometry, Position } from "../stac/types.ts";

type XY = [number, number];

/** `ring` is [lon, lat] pairs, closed or not. */
export function footprintGeometry(ring: XY[]): { geometry: Geometry; bbox: BBox } {
  const open = dropClosing(ring);
  const unwrapped = unwrap(open);
  const first = unwrapped[0]!;
  const last = unwrapped.at(-1)!;
  // Net longitude travelled round the ring: ±360 means the ring encloses a pole.
  const drift = Math.round((last[0] + step(last[0], first[0]) - first[0]) / 360) * 360;
  let shape = unwrapped;
  if (drift !== 0) {
    const pole = mean(open.map((p) => p[1])) >= 0 ? 90 : -90;
    const cap = polarCap(open, pole);
    if (cap) {
      const ys = cap.map((p) => p[1]);
      return {
        geometry: { type: "Polygon", coordinates: [close(cap) as Position[]] },
        bbox: [-180, Math.min(...ys), 180, Math.max(...ys)],
      };
    }
    const end = last[0] + step(last[0], first[0]);
    shape = [...unwrapped, [end, pole], [first[0], pole]];
  }
  const xs = shape.map((p) => p[0]);
  const ys = shape.map((p) => p[1]);
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const south = Math.min(...ys);
  const north = Math.max(...ys);
  const parts: XY[][] = [];
  for (let k = Math.floor((minX + 180) / 360); k <= Math.floor((maxX + 180) / 360 - 1e-12); k++) {
    const lo = -180 + 360 * k;
    const clipped = clip(clip(shape, lo, 1), lo + 360, -1);
    if (clipped.length >= 3 && Math.abs(area(clipped)) > 1e-12)
      parts.push(clipped.map(([x, y]) => [round(x - 360 * k), y]));
  }
  const polygons = parts.map((p) => [close(p) as Position[]]);
  const geometry: Geometry =
    polygons.length === 1
      ? { type: "Polygon", coordinates: polygons[0]! }
      : { type: "MultiPolygon", coordinates: polygons };
  let bbox: BBox;
  if (maxX - minX >= 360 || drift !== 0) bbox = [-180, south, 180, north];
  else bbox = [normalize(minX, false), south, normalize(maxX, true), north];
  return { geometry, bbox };
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

/**
 * A ring round a pole that crosses the antimeridian once becomes one polygon: cut at the crossing,
 * run from one edge of the map to the other, and close along the pole.
 */
function polarCap(ring: XY[], pole: number): XY[] | undefined {
  const n = ring.length;
  const crossings = ring.map((p, i) => Math.abs(ring[(i + 1) % n]![0] - p[0]) > 180);
  if (crossings.filter(Boolean).length !== 1) return undefined;
  const c = crossings.indexOf(true);
  const a = ring[c]!;
  const b = ring[(c + 1) % n]!;
  const eastward = a[0] > 0; // a is near +180, b near -180
  const bx = eastward ? b[0] + 360 : b[0] - 360;
  const edge = eastward ? 180 : -180;
  const lat = a[1] + ((edge - a[0]) / (bx - a[0])) * (b[1] - a[1]);
  const body: XY[] = [];
  for (let i = 1; i <= n; i++) body.push(ring[(c + i) % n]!);
  return [[-edge, lat], ...body, [edge, lat], [edge, pole], [-edge, pole]];
}

function step(from: number, to: number): number {
  let d = to - from;
  while (d > 180) d -= 360;
  while (d < -180) d += 360;
  return d;
}

function unwrap(ring: XY[]): XY[] {
  const out: XY[] = [];
  for (const [x, y] of ring) {
    const prev = out.at(-1);
    out.push(prev ? [prev[0] + step(prev[0], x), y] : [x, y]);
  }
  return out;
}

function dropClosing(ring: XY[]): XY[] {
  const a = ring[0];
  const b = ring.at(-1);
  if (ring.length > 1 && a && b && a[0] === b[0] && a[1] === b[1]) return ring.slice(0, -1);
  return ring;
}

function close(ring: XY[]): XY[] {
  return [...ring, ring[0]!];
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

function normalize(x: number, isEast: boolean): number {
  let v = ((((x + 180) % 360) + 360) % 360) - 180;
  if (v === -180 && isEast) v = 180;
  return round(v);
}

function round(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function area(ring: XY[]): number {
  let a = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[(i + 1) % ring.length]!;
    a += p[0] * q[1] - q[0] * p[1];
  }
  return a / 2;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}
