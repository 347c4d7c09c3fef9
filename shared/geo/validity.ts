// What makes a footprint valid GeoJSON (RFC 7946): closed rings of four or more positions within range,
// exteriors counter-clockwise and holes clockwise, no ring crossing itself or another; and its area.
import type { Geometry, Position, Ring } from "../stac/types.ts";
import { segmentsIntersect } from "./geometry.ts";
import { EARTH_RADIUS_KM } from "./sphere.ts";

/** Everything wrong with a (Multi)Polygon, in words; empty when it is valid. */
export function geometryProblems(g: Geometry): string[] {
  const polys =
    g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : undefined;
  if (!polys) return [`a footprint is a Polygon or MultiPolygon, not a ${g.type}`];
  const out: string[] = [];
  polys.forEach((poly, pi) => {
    poly.forEach((ring, ri) => {
      const where = `polygon ${pi} ring ${ri}`;
      if (ring.length < 4) out.push(`${where} has fewer than 4 positions`);
      const a = ring[0];
      const b = ring.at(-1);
      if (!a || !b || a[0] !== b[0] || a[1] !== b[1]) out.push(`${where} is not closed`);
      for (const p of ring)
        if (!(Math.abs(p[0]!) <= 180 && Math.abs(p[1]!) <= 90)) {
          out.push(`${where} has a position out of range: ${JSON.stringify(p)}`);
          break;
        }
      const jump = ring.findIndex(
        (p, i) =>
          i > 0 &&
          Math.abs(p[0]! - ring[i - 1]![0]!) > 180 &&
          !(Math.abs(p[1]!) === 90 && p[1] === ring[i - 1]![1]),
      );
      if (jump > 0)
        out.push(`${where} jumps across the antimeridian at position ${jump} instead of being cut there`);
      const s = signedArea(ring);
      if (s === 0) out.push(`${where} has no area`);
      else if ((ri === 0) !== s > 0)
        out.push(`${where} is ${s > 0 ? "counter-clockwise" : "clockwise"} (right-hand rule)`);
      if (selfIntersects(ring)) out.push(`${where} crosses itself`);
    });
    for (let i = 0; i < poly.length; i++)
      for (let j = i + 1; j < poly.length; j++)
        if (ringsCross(poly[i]!, poly[j]!)) out.push(`polygon ${pi}: rings ${i} and ${j} cross`);
  });
  for (let i = 0; i < polys.length; i++)
    for (let j = i + 1; j < polys.length; j++)
      if (ringsCross(polys[i]![0]!, polys[j]![0]!)) out.push(`polygons ${i} and ${j} cross`);
  return out;
}

/** Area of a (Multi)Polygon in normal form on the sphere, edges straight in lon/lat, km². */
export function geometryAreaKm2(g: Geometry): number {
  const polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
  let sr = 0;
  for (const poly of polys)
    for (const [i, ring] of poly.entries()) sr += (i === 0 ? 1 : -1) * Math.abs(ringSteradians(ring));
  return sr * EARTH_RADIUS_KM * EARTH_RADIUS_KM;
}

/** Lines of constant latitude are exact; other edges are taken as straight in lon/lat. */
function ringSteradians(ring: Ring): number {
  const rad = Math.PI / 180;
  let s = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[i + 1]!;
    const dx = (x2! - x1!) * rad;
    if (dx === 0) continue;
    const dy = (y2! - y1!) * rad;
    // ∫ sin φ dλ along the edge, φ linear in λ.
    s +=
      Math.abs(dy) < 1e-12
        ? dx * Math.sin(y1! * rad)
        : (dx / dy) * (Math.cos(y1! * rad) - Math.cos(y2! * rad));
  }
  return -s;
}

/** Twice the planar signed area; > 0 counter-clockwise. */
export function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++)
    a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return Math.abs(a) < 1e-14 ? 0 : a;
}

function selfIntersects(ring: Ring): boolean {
  const n = ring.length - 1;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (j === i + 1 || (i === 0 && j === n - 1)) continue; // neighbours share a vertex
      if (segmentsIntersect(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return true;
    }
  }
  return false;
}

function ringsCross(a: Ring, b: Ring): boolean {
  for (let i = 0; i + 1 < a.length; i++)
    for (let j = 0; j + 1 < b.length; j++)
      if (segmentsIntersect(a[i]!, a[i + 1]!, b[j]!, b[j + 1]!)) return true;
  return false;
}
