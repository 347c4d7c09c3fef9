// A catalogue's footprint text as GeoJSON: WKT (DHuS's "JTS footprint") or GML (its ContentGeometry,
// "lat,lon" pairs), put in the archive's normal form: longitudes in [-180, 180], a ring that crosses the
// antimeridian split there. Pure geometry from shared/ (the same parsers and normal form the API uses),
// so an imported footprint is read exactly as the catalogue reads its own.
import { footprint, latLonPairs } from "../../../shared/geo/footprint.ts";
import { geometryBBox, normalizeGeometry } from "../../../shared/geo/normalize.ts";
import { geometryProblems } from "../../../shared/geo/validity.ts";
import { TokenCursor, tokenize } from "../../../shared/search/cql2/text-lexer.ts";
import { readWkt } from "../../../shared/search/cql2/wkt.ts";
import type { BBox, Geometry, Position } from "../../../shared/stac/types.ts";

export interface ReadFootprint {
  geometry: Geometry;
  bbox: BBox;
}

/** Throws an Error saying what is wrong with the text. */
export function wktFootprint(text: string): ReadFootprint {
  const failAt = (message: string, pos: number): never => {
    throw new Error(`WKT: ${message} at position ${pos}`);
  };
  const cursor = new TokenCursor(tokenize(text.trim(), failAt), failAt);
  const g = readWkt(cursor);
  if (cursor.peek().type !== "eof") failAt("unexpected text after the geometry", cursor.peek().pos);
  return checked(normalizeGeometry(g), "WKT");
}

/** The first `gml:coordinates` or `gml:posList` ring (DHuS writes one outer ring). */
export function gmlFootprint(text: string): ReadFootprint {
  const m =
    /<(?:gml:)?coordinates[^>]*>([^<]*)<\/(?:gml:)?coordinates>/.exec(text) ??
    /<(?:gml:)?posList[^>]*>([^<]*)<\/(?:gml:)?posList>/.exec(text);
  if (!m) throw new Error("GML: no gml:coordinates or gml:posList");
  const ring = latLonPairs(m[1]!);
  // A ring as the product wrote it: the smaller region it bounds, cut at the antimeridian (and closed
  // over a pole it goes round), its edges straight as DHuS drew them.
  const f = footprint(ring, { edges: "straight", label: "GML" });
  return checked(f.geometry, "GML");
}

function checked(geometry: Geometry, what: string): ReadFootprint {
  if (geometry.type !== "Polygon" && geometry.type !== "MultiPolygon")
    throw new Error(`${what}: a ${geometry.type}, not a polygon`);
  const problems = geometryProblems(geometry);
  if (problems.length) throw new Error(`${what}: ${problems[0]}`);
  return { geometry, bbox: bboxOf(geometry) };
}

/** A geometry's bbox; only parts on both sides of the antimeridian give one that crosses it. */
export function bboxOf(geometry: Geometry): BBox {
  return geometry.type === "Polygon" ? planeBBox(geometry.coordinates[0]!) : geometryBBox(geometry);
}

/** One polygon in normal form lies within [-180, 180] and never crosses: its box is its extremes. */
function planeBBox(ring: Position[]): BBox {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}
