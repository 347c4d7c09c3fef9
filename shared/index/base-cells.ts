// The res-0 cells a footprint touches, without h3's polygon cover when the footprint lies well inside
// one base cell: h3's overlapping cover at res 0 tests every base cell (≈ 1.2 ms an item, the largest
// single cost of a bulk load), while a small footprint far from its base cell's edges touches that cell
// alone. Anything near an edge, large, polar or not a polygon takes h3's cover (cells.ts coverCells).
import { cellToBoundary, getRes0Cells, latLngToCell } from "h3-js";
import type { Geometry, Position } from "../stac/types.ts";
import { coverCells } from "./cells.ts";

type Vec = [number, number, number];

const RAD = Math.PI / 180;
const toVec = (lat: number, lng: number): Vec => {
  const c = Math.cos(lat * RAD);
  return [c * Math.cos(lng * RAD), c * Math.sin(lng * RAD), Math.sin(lat * RAD)];
};
const dot = (a: Vec, b: Vec) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec, b: Vec): Vec => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec): Vec => {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
};
const angle = (a: Vec, b: Vec) => Math.atan2(Math.hypot(...cross(a, b)), dot(a, b));

/**
 * Fast path limits, in radians of arc (1 rad ≈ 6,371 km). A footprint qualifies when its vertices lie
 * within MAX_RADIUS of their centre and that centre lies farther than RADIUS_FACTOR × radius + MARGIN
 * from every edge of its base cell. The margin (≈ 127 km) absorbs how far h3's own tests can stray
 * from great-circle edges: with no margin, 140 of 14,161 random footprints under 2.5° disagreed with
 * h3; with 0.01 (64 km) none of 23,040 did (test/index/base-cells.test.ts keeps comparing). Footprints
 * beyond MAX_LAT take h3's cover.
 */
const MAX_RADIUS = 0.05;
const RADIUS_FACTOR = 1.2;
const MARGIN = 0.02;
const MAX_LAT = 70;

/** Great-circle edges of each base cell (h3 index → [a, b] unit vectors), computed once. */
let edgesOf: Map<string, [Vec, Vec][]> | undefined;
function baseEdges(cell: string): [Vec, Vec][] {
  if (!edgesOf) {
    edgesOf = new Map();
    for (const c of getRes0Cells()) {
      const ring = cellToBoundary(c).map(([lat, lng]) => toVec(lat, lng));
      edgesOf.set(
        c,
        ring.map((a, i) => [a, ring[(i + 1) % ring.length]!]),
      );
    }
  }
  return edgesOf.get(cell)!;
}

/** Angular distance from p to the minor great-circle arc a–b. */
function arcDistance(p: Vec, a: Vec, b: Vec): number {
  const n = norm(cross(a, b));
  const d = dot(p, n);
  const off = Math.asin(Math.max(-1, Math.min(1, d)));
  // The foot of the perpendicular lies on the arc when it is between a and b.
  const foot = norm([p[0] - d * n[0], p[1] - d * n[1], p[2] - d * n[2]]);
  if (dot(cross(a, foot), n) >= 0 && dot(cross(foot, b), n) >= 0) return Math.abs(off);
  return Math.min(angle(p, a), angle(p, b));
}

function outerVertices(g: Geometry): Position[] | undefined {
  if (g.type === "Polygon") return g.coordinates[0];
  if (g.type === "MultiPolygon") return g.coordinates.flatMap((p) => p[0] ?? []);
  return undefined;
}

/** The single base cell a footprint lies well inside, or undefined when h3 must decide. */
export function soleBaseCell(g: Geometry): string | undefined {
  const ring = outerVertices(g);
  if (!ring || ring.length === 0) return undefined;
  let sum: Vec = [0, 0, 0];
  const vs: Vec[] = [];
  for (const p of ring) {
    if (!(Math.abs(p[1]) <= MAX_LAT)) return undefined;
    const v = toVec(p[1], p[0]);
    vs.push(v);
    sum = [sum[0] + v[0], sum[1] + v[1], sum[2] + v[2]];
  }
  if (Math.hypot(...sum) < 1e-9) return undefined;
  const c = norm(sum);
  let radius = 0;
  for (const v of vs) radius = Math.max(radius, angle(c, v));
  if (radius > MAX_RADIUS) return undefined;
  const lat = Math.asin(c[2]) / RAD;
  const lng = Math.atan2(c[1], c[0]) / RAD;
  const cell = latLngToCell(lat, lng, 0);
  const needed = RADIUS_FACTOR * radius + MARGIN;
  for (const [a, b] of baseEdges(cell)) if (arcDistance(c, a, b) <= needed) return undefined;
  return cell;
}

/** The res-0 cells the geometry touches: coverCells(g, 0), by the fast path when it applies. */
export function baseCellsOf(g: Geometry): Set<string> {
  const sole = soleBaseCell(g);
  return sole ? new Set([sole]) : coverCells(g, 0);
}
