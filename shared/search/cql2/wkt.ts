// Well-known text geometry literals inside cql2-text, read into GeoJSON and printed back.
import type { Geometry, Position } from "../../stac/types.ts";
import { checkLiteralGeometry } from "./literals.ts";
import type { TokenCursor } from "./text-lexer.ts";

const WKT_TYPES: Record<string, Geometry["type"]> = {
  POINT: "Point",
  LINESTRING: "LineString",
  POLYGON: "Polygon",
  MULTIPOINT: "MultiPoint",
  MULTILINESTRING: "MultiLineString",
  MULTIPOLYGON: "MultiPolygon",
  GEOMETRYCOLLECTION: "GeometryCollection",
};

export function isWktKeyword(word: string): boolean {
  return Object.hasOwn(WKT_TYPES, word.toUpperCase());
}

function readPosition(c: TokenCursor, dims: number): Position {
  const expected = "a coordinate number";
  const pos: number[] = [c.number(expected), c.number(expected)];
  if (dims === 3 || (dims === 0 && (c.peek().type === "number" || c.isOp("-")))) pos.push(c.number(expected));
  return pos as Position;
}

/** `( item, item, ... )` */
function readList<T>(c: TokenCursor, item: () => T): T[] {
  c.expectOp("(");
  const out = [item()];
  while (c.isOp(",")) {
    c.next();
    out.push(item());
  }
  c.expectOp(")", "',' or ')'");
  return out;
}

function readBody(c: TokenCursor, type: Geometry["type"], dims: number, depth: number): unknown {
  const positions = () => readList(c, () => readPosition(c, dims));
  switch (type) {
    case "Point":
      return { type, coordinates: readList(c, () => readPosition(c, dims))[0] };
    case "LineString":
      return { type, coordinates: positions() };
    case "Polygon":
    case "MultiLineString":
      return { type, coordinates: readList(c, positions) };
    case "MultiPolygon":
      return { type, coordinates: readList(c, () => readList(c, positions)) };
    case "MultiPoint":
      // Both MULTIPOINT((1 2), (3 4)) and MULTIPOINT(1 2, 3 4) are common.
      return { type, coordinates: readList(c, () => (c.isOp("(") ? positions()[0] : readPosition(c, dims))) };
    default:
      if (depth > 8) return c.failAt("geometry collections are nested too deeply", c.peek().pos);
      return { type, geometries: readList(c, () => readWkt(c, depth + 1)) };
  }
}

/** Reads one WKT geometry starting at its type keyword; checks it like a GeoJSON geometry. */
export function readWkt(c: TokenCursor, depth = 0): Geometry {
  const start = c.peek();
  const type = WKT_TYPES[start.text.toUpperCase()];
  if (start.type !== "ident" || type === undefined) return c.unexpected("a WKT geometry type");
  c.next();
  let dims = 0;
  if (c.isKeyword("Z")) {
    c.next();
    dims = 3;
  } else if (c.isKeyword("EMPTY")) {
    return c.failAt(`empty geometries are not supported (${start.text} EMPTY)`, start.pos);
  } else if (c.isKeyword("M") || c.isKeyword("ZM")) {
    return c.failAt("measured (M) coordinates are not supported", c.peek().pos);
  }
  const raw = readBody(c, type, dims, depth);
  return checkLiteralGeometry(raw, (msg) =>
    c.failAt(`invalid ${start.text.toUpperCase()} (${msg})`, start.pos),
  );
}

function pos(p: Position): string {
  return p.join(" ");
}
function seq(ps: Position[]): string {
  return `(${ps.map(pos).join(", ")})`;
}

export function toWkt(g: Geometry): string {
  const z = (ps: Position[]) => (ps.some((p) => p.length === 3) ? " Z" : "");
  switch (g.type) {
    case "Point":
      return `POINT${z([g.coordinates])} (${pos(g.coordinates)})`;
    case "LineString":
      return `LINESTRING${z(g.coordinates)} ${seq(g.coordinates)}`;
    case "MultiPoint":
      return `MULTIPOINT${z(g.coordinates)} (${g.coordinates.map((p) => `(${pos(p)})`).join(", ")})`;
    case "Polygon":
      return `POLYGON${z(g.coordinates.flat())} (${g.coordinates.map(seq).join(", ")})`;
    case "MultiLineString":
      return `MULTILINESTRING${z(g.coordinates.flat())} (${g.coordinates.map(seq).join(", ")})`;
    case "MultiPolygon":
      return `MULTIPOLYGON${z(g.coordinates.flat(2))} (${g.coordinates.map((p) => `(${p.map(seq).join(", ")})`).join(", ")})`;
    case "GeometryCollection":
      return `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(", ")})`;
  }
}
