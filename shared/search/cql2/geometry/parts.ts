// Flattens any GeoJSON geometry into plain points, lines and polygons on the lon/lat plane.
import type { Geometry, Position } from "../../../stac/types.ts";

export type XY = readonly [number, number];

export interface Parts {
  points: XY[];
  lines: XY[][];
  /** Each polygon is its rings, outer first; rings are closed (first = last). */
  polygons: XY[][][];
}

const xy = (p: Position): XY => [p[0], p[1]];

function add(g: Geometry, out: Parts): void {
  switch (g.type) {
    case "Point":
      out.points.push(xy(g.coordinates));
      return;
    case "MultiPoint":
      out.points.push(...g.coordinates.map(xy));
      return;
    case "LineString":
      out.lines.push(g.coordinates.map(xy));
      return;
    case "MultiLineString":
      out.lines.push(...g.coordinates.map((l) => l.map(xy)));
      return;
    case "Polygon":
      out.polygons.push(g.coordinates.map((r) => r.map(xy)));
      return;
    case "MultiPolygon":
      out.polygons.push(...g.coordinates.map((p) => p.map((r) => r.map(xy))));
      return;
    case "GeometryCollection":
      for (const child of g.geometries) add(child, out);
      return;
  }
}

export function toParts(g: Geometry): Parts {
  const out: Parts = { points: [], lines: [], polygons: [] };
  add(g, out);
  return out;
}

/** Topological dimension of the geometry: 2 if it has an area, 1 if lines, 0 if points, -1 if empty. */
export function dimension(p: Parts): -1 | 0 | 1 | 2 {
  if (p.polygons.length > 0) return 2;
  if (p.lines.length > 0) return 1;
  return p.points.length > 0 ? 0 : -1;
}

/** Every segment of the geometry's linework (lines and polygon rings). */
export function segmentsOf(p: Parts): [XY, XY][] {
  const out: [XY, XY][] = [];
  const push = (line: XY[]) => {
    for (let i = 1; i < line.length; i++) out.push([line[i - 1]!, line[i]!]);
  };
  p.lines.forEach(push);
  for (const poly of p.polygons) poly.forEach(push);
  return out;
}

function box(w: number, s: number, e: number, n: number): Position[][] {
  return [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ];
}

/** A bbox as a polygon; one crossing the antimeridian (west > east) becomes two. */
export function bboxToGeometry(bbox: readonly number[]): Geometry {
  const half = bbox.length / 2;
  const [w, s, e, n] = [bbox[0]!, bbox[1]!, bbox[half]!, bbox[half + 1]!];
  if (w <= e) return { type: "Polygon", coordinates: box(w, s, e, n) };
  return { type: "MultiPolygon", coordinates: [box(w, s, 180, n), box(-180, s, e, n)] };
}
