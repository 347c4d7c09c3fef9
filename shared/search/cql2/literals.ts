// Validation of literal values shared by both encodings: instants, bounding boxes and geometries.
import type { Geometry, Position } from "../../stac/types.ts";
import { countPositions, MAX_POSITIONS } from "../geojson.ts";
import type { Fail } from "./build.ts";

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

export function checkTimestamp(value: string, fail: Fail): string {
  const m = TIMESTAMP.exec(value);
  if (m === null || !validDay(m[1]!, m[2]!, m[3]!) || Number.isNaN(Date.parse(value))) {
    return fail(`'${value}' is not an RFC 3339 timestamp such as '2021-04-08T04:39:23Z'`);
  }
  return value;
}

export function checkDate(value: string, fail: Fail): string {
  const m = DATE.exec(value);
  if (m === null || !validDay(m[1]!, m[2]!, m[3]!))
    return fail(`'${value}' is not a date such as '2021-04-08'`);
  return value;
}

/** A bare instant string inside an INTERVAL: a date, a timestamp, or '..' for an open end. */
export function instantKind(value: string): "date" | "timestamp" | "open" | undefined {
  if (value === "..") return "open";
  if (DATE.test(value)) return "date";
  if (TIMESTAMP.test(value)) return "timestamp";
  return undefined;
}

function checkLonLat(lon: number, lat: number, fail: Fail): void {
  if (lat < -90 || lat > 90) fail(`latitude ${lat} is out of range [-90, 90]`);
  if (lon < -180 || lon > 180) fail(`longitude ${lon} is out of range [-180, 180]`);
}

export function checkBBox(values: unknown, fail: Fail): number[] {
  if (!Array.isArray(values) || (values.length !== 4 && values.length !== 6)) {
    return fail("a bbox needs 4 numbers (west, south, east, north) or 6 for 3D");
  }
  if (!values.every((v) => typeof v === "number" && Number.isFinite(v)))
    return fail("bbox values must be numbers");
  const nums = values as number[];
  const half = nums.length / 2;
  const [west, south, east, north] = [nums[0]!, nums[1]!, nums[half]!, nums[half + 1]!];
  checkLonLat(west, south, fail);
  checkLonLat(east, north, fail);
  if (south > north) fail(`bbox south ${south} is greater than north ${north}`);
  return nums;
}

function position(value: unknown, fail: Fail): Position {
  if (!Array.isArray(value) || value.length < 2 || value.length > 3) {
    return fail("a position must be an array of 2 or 3 numbers");
  }
  if (!value.every((v) => typeof v === "number" && Number.isFinite(v))) {
    return fail(`coordinates must be numbers, got ${JSON.stringify(value)}`);
  }
  checkLonLat(value[0], value[1], fail);
  return value as Position;
}

function positions(value: unknown, min: number, what: string, fail: Fail): Position[] {
  if (!Array.isArray(value)) return fail(`${what} coordinates must be an array of positions`);
  const out = value.map((p) => position(p, fail));
  if (out.length < min) fail(`${what} needs at least ${min} positions, got ${out.length}`);
  return out;
}

function rings(value: unknown, fail: Fail): Position[][] {
  if (!Array.isArray(value) || value.length === 0) return fail("a polygon needs at least one ring");
  return value.map((ring, i) => {
    const what = i === 0 ? "the outer ring of a polygon" : `ring ${i + 1} of a polygon`;
    const pts = positions(ring, 4, what, fail);
    const [a, b] = [pts[0]!, pts[pts.length - 1]!];
    if (a[0] !== b[0] || a[1] !== b[1]) fail(`${what} is not closed: it must end where it starts`);
    return pts;
  });
}

function list(value: unknown, what: string, fail: Fail): unknown[] {
  if (!Array.isArray(value)) return fail(`${what} coordinates must be an array`);
  return value;
}

/** A geometry written in a filter: checked, and bounded as a search's `intersects` is. */
export function checkLiteralGeometry(value: unknown, fail: Fail): Geometry {
  const g = checkGeometry(value, fail);
  const n = countPositions(g);
  if (n > MAX_POSITIONS) return fail(`${n} positions; a filter geometry may have at most ${MAX_POSITIONS}`);
  return g;
}

/** Checks a GeoJSON geometry object (from cql2-json or built from WKT) and returns it typed. */
export function checkGeometry(value: unknown, fail: Fail, depth = 0): Geometry {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return fail("a geometry must be an object");
  const g = value as Record<string, unknown>;
  const c = g["coordinates"];
  switch (g["type"]) {
    case "Point":
      return { type: "Point", coordinates: position(c, fail) };
    case "MultiPoint":
      return { type: "MultiPoint", coordinates: positions(c, 1, "a multipoint", fail) };
    case "LineString":
      return { type: "LineString", coordinates: positions(c, 2, "a linestring", fail) };
    case "MultiLineString":
      return {
        type: "MultiLineString",
        coordinates: list(c, "a multilinestring", fail).map((l) => positions(l, 2, "a linestring", fail)),
      };
    case "Polygon":
      return { type: "Polygon", coordinates: rings(c, fail) };
    case "MultiPolygon":
      return {
        type: "MultiPolygon",
        coordinates: list(c, "a multipolygon", fail).map((p) => rings(p, fail)),
      };
    case "GeometryCollection": {
      if (depth > 8) return fail("geometry collections are nested too deeply");
      const parts = g["geometries"];
      if (!Array.isArray(parts)) return fail("a geometry collection needs a 'geometries' array");
      return { type: "GeometryCollection", geometries: parts.map((p) => checkGeometry(p, fail, depth + 1)) };
    }
    default:
      return fail(`unknown geometry type ${JSON.stringify(g["type"])}`);
  }
}
