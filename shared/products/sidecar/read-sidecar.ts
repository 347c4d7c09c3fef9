// `<name>.stac.json`: a STAC Item written by the producer. Validated (against the archive's own checks,
// then STAC core and every extension schema it declares), hrefs made absolute, indexed as is.
// The sidecar alone is enough: the files it points to may arrive before or after it.

import { ProductError } from "../../errors.ts";
import { footprint } from "../../geo/footprint.ts";
import { geometryBBox } from "../../geo/normalize.ts";
import { geometryProblems } from "../../geo/validity.ts";
import { requireItemSchemas } from "../../stac/item-schemas.ts";
import { checkStorableItem } from "../../stac/storable-item.ts";
import type { Asset, Geometry, Ring, StacItem } from "../../stac/types.ts";
import { STAC_VERSION } from "../../stac/types.ts";
import { s3Href } from "../assets.ts";
import { folderOf, insideFolder, isPlainKey, parseS3Href } from "../object-home.ts";

/** Collection for sidecars that name none: indexed and visible, rather than refused. */
export const DEFAULT_SIDECAR_COLLECTION = "misc";

const GEOMETRY_TYPES = new Set([
  "Point",
  "MultiPoint",
  "LineString",
  "MultiLineString",
  "Polygon",
  "MultiPolygon",
  "GeometryCollection",
]);

export async function readSidecar(bytes: Uint8Array, bucket: string, key: string): Promise<StacItem> {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ProductError(`invalid STAC sidecar ${key}: not JSON (${(err as Error).message})`);
  }
  const fail = (field: string, why: string) =>
    new ProductError(`invalid STAC sidecar ${key}: ${field} ${why}`);
  const item = validateStacItem(raw, fail, (href) => resolveHref(href, bucket, key, fail));
  // Positions off the globe, non-finite numbers and short rings are refused as written, never redrawn.
  const stored = validFootprint(checkStorableItem(item, fail), fail);
  await requireItemSchemas(stored, fail);
  return stored;
}

/**
 * A producer's (Multi)Polygon that is not valid GeoJSON (clockwise, not cut at ±180, …) is redrawn by
 * the footprint pipeline from its rings, each taken as the smaller region it bounds; one that cannot be
 * is refused, naming why. Valid geometries are kept exactly as written.
 */
function validFootprint(item: StacItem, fail: FieldError): StacItem {
  const g = item.geometry;
  if (!g || (g.type !== "Polygon" && g.type !== "MultiPolygon")) return item;
  const problems = geometryProblems(g);
  if (problems.length === 0) return item;
  const polys: Ring[][] = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  const refuse = (why: string) => fail("geometry", `is not valid GeoJSON (${problems[0]})${why}`);
  if (polys.some((p) => p.length !== 1)) throw refuse("");
  let parts: Ring[][];
  try {
    parts = polys.flatMap((p) => {
      const fp = footprint(
        p[0]!.map((q) => [q[0]!, q[1]!] as [number, number]),
        { edges: "straight" },
      );
      return fp.geometry.type === "Polygon"
        ? [fp.geometry.coordinates]
        : (fp.geometry as { coordinates: Ring[][] }).coordinates;
    });
  } catch (err) {
    if (err instanceof ProductError) throw refuse(` and cannot be redrawn: ${err.message}`);
    throw err;
  }
  const geometry: Geometry =
    parts.length === 1
      ? { type: "Polygon", coordinates: parts[0]! }
      : { type: "MultiPolygon", coordinates: parts };
  const left = geometryProblems(geometry);
  if (left.length > 0) throw refuse(` and redrawn is still not: ${left[0]}`);
  return { ...item, geometry, bbox: geometryBBox(geometry) };
}

/** Names the offending field and what was expected; the caller picks the error type (422 or 400). */
export type FieldError = (field: string, why: string) => Error;

/**
 * The checks a STAC Item passes before it is indexed, shared by sidecars and the Transactions API.
 * `resolve` turns each asset href into the stored one (or throws through `fail`).
 */
export function validateStacItem(
  raw: unknown,
  fail: FieldError,
  resolve: (href: string, field: string) => string,
): StacItem {
  if (!isObject(raw)) throw fail("document", "must be a JSON object");
  if (raw["type"] !== "Feature") throw fail("type", 'must be "Feature"');
  if (typeof raw["id"] !== "string" || raw["id"].trim() === "")
    throw fail("id", "must be a non-empty string");
  const geometry = raw["geometry"];
  if (geometry === undefined) throw fail("geometry", "is required (an object or null)");
  if (geometry !== null) {
    if (!isObject(geometry) || !GEOMETRY_TYPES.has(String(geometry["type"])))
      throw fail("geometry", "is not a GeoJSON geometry");
    if (geometry["type"] !== "GeometryCollection" && !Array.isArray(geometry["coordinates"])) {
      throw fail("geometry.coordinates", "must be an array");
    }
    const bbox = raw["bbox"];
    if (
      !Array.isArray(bbox) ||
      (bbox.length !== 4 && bbox.length !== 6) ||
      !bbox.every((n) => typeof n === "number")
    ) {
      throw fail("bbox", "must be 4 or 6 numbers when geometry is set");
    }
  }
  const properties = raw["properties"];
  if (!isObject(properties)) throw fail("properties", "must be an object");
  checkTime(properties, fail);
  const assets = raw["assets"];
  if (!isObject(assets)) throw fail("assets", "must be an object");
  const resolved: Record<string, Asset> = {};
  for (const [name, asset] of Object.entries(assets)) {
    if (!isObject(asset) || typeof asset["href"] !== "string" || asset["href"] === "") {
      throw fail(`assets.${name}.href`, "must be a non-empty string");
    }
    resolved[name] = { ...(asset as Asset), href: resolve(asset["href"], `assets.${name}.href`) };
  }
  const collection =
    typeof raw["collection"] === "string" && raw["collection"]
      ? raw["collection"]
      : DEFAULT_SIDECAR_COLLECTION;
  return {
    ...(raw as unknown as StacItem),
    stac_version: typeof raw["stac_version"] === "string" ? raw["stac_version"] : STAC_VERSION,
    collection,
    properties: { ...properties, datetime: (properties["datetime"] as string | null | undefined) ?? null },
    links: Array.isArray(raw["links"]) ? (raw["links"] as StacItem["links"]) : [],
    assets: resolved,
  };
}

function checkTime(p: Record<string, unknown>, fail: FieldError): void {
  const isDate = (v: unknown) => typeof v === "string" && !Number.isNaN(Date.parse(v));
  if (p["datetime"] !== undefined && p["datetime"] !== null) {
    if (!isDate(p["datetime"])) throw fail("properties.datetime", "is not an RFC 3339 date-time");
    return;
  }
  if (!isDate(p["start_datetime"]) || !isDate(p["end_datetime"])) {
    throw fail("properties.datetime", "is null or missing and start_datetime/end_datetime are not both set");
  }
}

/**
 * Relative hrefs are relative to the sidecar's own key and must stay inside its folder (`..` may not
 * climb above it); `s3://` hrefs must name a plain key in the same bucket and folder. A sidecar thus
 * never points at another product's files (see ../object-home.ts). Other schemes (https) pass.
 */
function resolveHref(href: string, bucket: string, key: string, fail: FieldError): string {
  const folder = folderOf(key);
  const outside = () => fail(`asset href ${href}`, `leaves the sidecar's folder '${folder || "/"}'`);
  if (/^s3:/i.test(href)) {
    const at = parseS3Href(href);
    if (!at || !isPlainKey(at.key)) throw fail(`asset href ${href}`, "is not a plain s3://bucket/key");
    if (at.bucket !== bucket) throw fail(`asset href ${href}`, `names another bucket than '${bucket}'`);
    if (!insideFolder(at.key, folder)) throw outside();
    return href;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return href;
  // "/x" is the bucket root: allowed only when that is still inside the folder.
  const parts = href.startsWith("/") ? [] : folder.split("/").filter(Boolean);
  for (const part of href.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) throw outside();
      parts.pop();
    } else parts.push(part);
  }
  const resolved = parts.join("/");
  if (!isPlainKey(resolved) || !insideFolder(resolved, folder)) throw outside();
  return s3Href(bucket, resolved);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
