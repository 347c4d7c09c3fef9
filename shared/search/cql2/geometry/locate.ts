// Where a point lies relative to a geometry (interior, boundary or exterior, OGC simple-features
// rules: a line's boundary is its endpoints by the mod-2 rule; a polygon's boundary is its rings).
import type { Parts, XY } from "./parts.ts";
import { EPS, onSegment, samePoint } from "./segments.ts";

export type Location = "I" | "B" | "E";

export interface Located {
  loc: Location;
  /** Dimension of the part that decided the location (2 polygon, 1 line, 0 point). */
  dim: 0 | 1 | 2;
}

const EXTERIOR: Located = { loc: "E", dim: 0 };

function onLine(p: XY, line: XY[]): boolean {
  for (let i = 1; i < line.length; i++) if (onSegment(p, line[i - 1]!, line[i]!)) return true;
  return line.length === 1 && samePoint(p, line[0]!);
}

/** Even-odd crossing test over all rings, so holes count as outside. */
function insideRings(p: XY, rings: XY[][]): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) {
      const [a, b] = [ring[i - 1]!, ring[i]!];
      if (a[1] > p[1] !== b[1] > p[1]) {
        const x = a[0] + ((p[1] - a[1]) * (b[0] - a[0])) / (b[1] - a[1]);
        if (p[0] < x) inside = !inside;
      }
    }
  }
  return inside;
}

function lineBoundary(p: XY, lines: XY[][]): boolean {
  let ends = 0;
  for (const line of lines) {
    const [first, last] = [line[0]!, line[line.length - 1]!];
    if (samePoint(first, last)) continue;
    if (samePoint(p, first)) ends += 1;
    if (samePoint(p, last)) ends += 1;
  }
  return ends % 2 === 1;
}

export function locate(p: XY, parts: Parts): Located {
  let onPolygonBoundary = false;
  for (const rings of parts.polygons) {
    if (rings.some((r) => onLine(p, r))) onPolygonBoundary = true;
    else if (insideRings(p, rings)) return { loc: "I", dim: 2 };
  }
  if (onPolygonBoundary) return { loc: "B", dim: 2 };
  if (parts.lines.some((l) => onLine(p, l))) return { loc: lineBoundary(p, parts.lines) ? "B" : "I", dim: 1 };
  if (parts.points.some((q) => samePoint(p, q))) return { loc: "I", dim: 0 };
  return EXTERIOR;
}

/** A point strictly inside a polygon (with holes), found on a horizontal scanline; null if degenerate. */
export function interiorPoint(rings: XY[][]): XY | null {
  const outer = rings[0] ?? [];
  const ys = [...new Set(rings.flat().map((p) => p[1]))].sort((a, b) => a - b);
  const [minY, maxY] = [Math.min(...outer.map((p) => p[1])), Math.max(...outer.map((p) => p[1]))];
  // Widest gaps between vertex rows first: a few scanlines suffice, keeping this linear-ish.
  const lines = ys
    .slice(1)
    .map((y, i) => ({ y: (ys[i]! + y) / 2, gap: y - ys[i]! }))
    .filter(({ y }) => y > minY && y < maxY)
    .sort((a, b) => b.gap - a.gap)
    .slice(0, 4);
  let best: XY | null = null;
  let bestWidth = EPS;
  for (const { y } of lines) {
    const xs: number[] = [];
    for (const ring of rings) {
      for (let j = 1; j < ring.length; j++) {
        const [a, b] = [ring[j - 1]!, ring[j]!];
        if (a[1] > y !== b[1] > y) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
      }
    }
    xs.sort((a, b) => a - b);
    for (let j = 1; j < xs.length; j += 2) {
      const width = xs[j]! - xs[j - 1]!;
      if (width > bestWidth) {
        bestWidth = width;
        best = [(xs[j]! + xs[j - 1]!) / 2, y];
      }
    }
  }
  return best;
}
