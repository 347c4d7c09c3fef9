// What an item must satisfy to be stored, whoever writes it (ingest of any reader, the Transactions
// API): sizes that fit DynamoDB's keys and items, datetimes the index can order, and a geometry and
// bbox that are real positions on the globe. Checked before anything is written.
import type { StacItem } from "./types.ts";

/** Names the offending field and what was expected; the caller picks the error type (422 or 400). */
export type StorableFieldError = (field: string, why: string) => Error;

/** An item id ends every sort key of its rows (DynamoDB allows 1,024 bytes per sort key). */
export const MAX_ID_BYTES = 500;
/** A collection id is a sort key of its own (the collection record) and starts every row partition. */
export const MAX_COLLECTION_BYTES = 256;
/**
 * The item's JSON, kept on one DynamoDB item (400 KB at most) next to the list of its row keys: the
 * rest is left for that list.
 */
export const MAX_ITEM_BYTES = 300_000;

const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

/** Throws `fail(field, why)` for the first problem found; returns the item otherwise. */
export function checkStorableItem(item: StacItem, fail: StorableFieldError): StacItem {
  if (typeof item.id !== "string" || item.id.trim() === "") throw fail("id", "must be a non-empty string");
  if (utf8(item.id) > MAX_ID_BYTES) throw fail("id", `must be at most ${MAX_ID_BYTES} bytes long`);
  const collection = item.collection;
  if (typeof collection !== "string" || collection === "")
    throw fail("collection", "must be a non-empty string");
  if (utf8(collection) > MAX_COLLECTION_BYTES)
    throw fail("collection", `must be at most ${MAX_COLLECTION_BYTES} bytes long`);
  const p = (item.properties ?? {}) as Record<string, unknown>;
  for (const name of ["datetime", "start_datetime", "end_datetime"]) {
    const v = p[name];
    if (v !== undefined && v !== null) checkDatetime(v, `properties.${name}`, fail);
  }
  if (p["datetime"] == null && (p["start_datetime"] == null || p["end_datetime"] == null))
    throw fail("properties.datetime", "is null or missing and start_datetime/end_datetime are not both set");
  if (item.geometry !== null && item.geometry !== undefined) checkGeometry(item.geometry, "geometry", fail);
  if (item.bbox !== undefined && item.bbox !== null) checkBbox(item.bbox, fail);
  const bytes = utf8(JSON.stringify(item));
  if (bytes > MAX_ITEM_BYTES)
    throw fail("item", `is ${bytes} bytes of JSON; at most ${MAX_ITEM_BYTES} can be stored`);
  return item;
}

/** The index orders datetimes as 24-character ISO strings: years 0000–9999, real calendar dates. */
function checkDatetime(v: unknown, field: string, fail: StorableFieldError): void {
  if (typeof v !== "string") throw fail(field, "must be an RFC 3339 date-time string");
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw fail(field, `'${v.slice(0, 40)}' is not an RFC 3339 date-time`);
  const iso = new Date(t).toISOString();
  if (iso.length !== 24 || iso.startsWith("-"))
    throw fail(field, `'${v.slice(0, 40)}' is outside the years 0000 to 9999`);
}

function checkPosition(pos: unknown, field: string, fail: StorableFieldError): void {
  if (!Array.isArray(pos) || pos.length < 2 || pos.length > 3)
    throw fail(field, "must be a position of 2 or 3 numbers");
  if (!pos.every((n) => typeof n === "number" && Number.isFinite(n)))
    throw fail(field, "must hold finite numbers only");
  const [lon, lat] = pos as number[];
  if (lon! < -180 || lon! > 180) throw fail(field, `longitude ${lon} is outside -180 to 180`);
  if (lat! < -90 || lat! > 90) throw fail(field, `latitude ${lat} is outside -90 to 90`);
}

function checkLine(line: unknown, min: number, field: string, fail: StorableFieldError): void {
  if (!Array.isArray(line) || line.length < min)
    throw fail(
      field,
      `must hold at least ${min} positions${Array.isArray(line) ? `, has ${line.length}` : ""}`,
    );
  for (const [i, pos] of line.entries()) checkPosition(pos, `${field}[${i}]`, fail);
}

function checkPolygon(rings: unknown, field: string, fail: StorableFieldError): void {
  if (!Array.isArray(rings) || rings.length === 0) throw fail(field, "must hold at least one ring");
  for (const [i, ring] of rings.entries()) checkLine(ring, 4, `${field}[${i}]`, fail);
}

function nonEmpty(v: unknown, field: string, fail: StorableFieldError): unknown[] {
  if (!Array.isArray(v) || v.length === 0) throw fail(field, "must be a non-empty array");
  return v;
}

function checkGeometry(g: unknown, field: string, fail: StorableFieldError, depth = 0): void {
  if (typeof g !== "object" || g === null) throw fail(field, "must be a GeoJSON geometry object");
  const { type, coordinates: c, geometries } = g as Record<string, unknown>;
  const at = `${field}.coordinates`;
  const each = (list: unknown, check: (v: unknown, at: string) => void, where = at) => {
    for (const [i, v] of nonEmpty(list, where, fail).entries()) check(v, `${where}[${i}]`);
  };
  switch (type) {
    case "Point":
      checkPosition(c, at, fail);
      break;
    case "MultiPoint":
      each(c, (p, f) => checkPosition(p, f, fail));
      break;
    case "LineString":
      checkLine(c, 2, at, fail);
      break;
    case "MultiLineString":
      each(c, (l, f) => checkLine(l, 2, f, fail));
      break;
    case "Polygon":
      checkPolygon(c, at, fail);
      break;
    case "MultiPolygon":
      each(c, (p, f) => checkPolygon(p, f, fail));
      break;
    case "GeometryCollection":
      if (depth > 0) throw fail(field, "must not nest geometry collections");
      each(geometries, (m, f) => checkGeometry(m, f, fail, depth + 1), `${field}.geometries`);
      break;
    default:
      throw fail(field, `has unknown type '${String(type).slice(0, 40)}'`);
  }
}

function checkBbox(bbox: unknown, fail: StorableFieldError): void {
  if (!Array.isArray(bbox) || (bbox.length !== 4 && bbox.length !== 6))
    throw fail("bbox", "must be 4 or 6 numbers");
  if (!bbox.every((n) => typeof n === "number" && Number.isFinite(n)))
    throw fail("bbox", "must hold finite numbers only");
  const [w, s, e, n] = bbox.length === 4 ? bbox : [bbox[0], bbox[1], bbox[3], bbox[4]];
  if (w < -180 || w > 180 || e < -180 || e > 180) throw fail("bbox", "longitudes must be within -180 to 180");
  if (s < -90 || s > 90 || n < -90 || n > 90) throw fail("bbox", "latitudes must be within -90 to 90");
  if (s > n) throw fail("bbox", "south must not be north of north");
}
