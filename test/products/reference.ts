// Compares our items with the reference items of /work/shared/fixtures, field by field, semantically.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { StacItem } from "../../shared/stac/types.ts";

export const FIXTURES = resolve(import.meta.dirname, "../../../shared/fixtures");
export const HAVE_FIXTURES = existsSync(FIXTURES);
if (!HAVE_FIXTURES) console.warn(`fixture tests skipped: ${FIXTURES} is missing`);

export function loadReference(path: string): StacItem {
  return JSON.parse(readFileSync(path, "utf8")) as StacItem;
}

const TOL = 1e-4;

export function near(a: unknown, b: unknown, tol = TOL): boolean {
  if (typeof a === "number" && typeof b === "number")
    return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => near(x, b[i], tol));
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

export function sameInstant(a: unknown, b: unknown, toleranceMs = 1): boolean {
  if (typeof a !== "string" || typeof b !== "string") return a === b;
  return Math.abs(Date.parse(a) - Date.parse(b)) <= toleranceMs;
}

/** proj:code "EPSG:32601" and proj:epsg 32601 are the same thing, written by different stactools versions. */
export function epsgOf(p: Record<string, unknown>): string | undefined {
  if (typeof p["proj:code"] === "string") return p["proj:code"];
  if (typeof p["proj:epsg"] === "number") return `EPSG:${p["proj:epsg"]}`;
  return undefined;
}

/** All positions of a geometry, flattened. */
export function positions(g: StacItem["geometry"]): number[][] {
  if (!g) return [];
  const out: number[][] = [];
  const walk = (c: unknown) => {
    if (Array.isArray(c) && typeof c[0] === "number") out.push(c as number[]);
    else if (Array.isArray(c)) for (const x of c) walk(x);
  };
  if (g.type === "GeometryCollection") for (const x of g.geometries) out.push(...positions(x));
  else walk(g.coordinates);
  return out;
}

const PRODUCT_TYPE_KEYS = [
  "product:type",
  "s2:product_type",
  "sar:product_type",
  "s3:product_type",
  "s5p:product_type",
];
const SAME_VALUE_KEYS = [
  "constellation",
  "sat:orbit_state",
  "sat:relative_orbit",
  "sat:absolute_orbit",
  "grid:code",
];

/** Differences between our item and a reference item on the fields the catalogue promises. */
export function compareItem(
  ours: StacItem,
  ref: StacItem,
  opts: { geometryTolerance?: number; ignore?: string[] } = {},
): string[] {
  const diffs: string[] = [];
  const p = ours.properties;
  const r = ref.properties;
  for (const k of ["datetime", "start_datetime", "end_datetime"]) {
    if (r[k] !== undefined && !sameInstant(p[k], r[k])) diffs.push(`${k}: ${p[k]} vs ${r[k]}`);
  }
  if (r["platform"] !== undefined && !near(String(p["platform"]), String(r["platform"]).replace(/ /g, "-"))) {
    if (!near(p["platform"], r["platform"])) diffs.push(`platform: ${p["platform"]} vs ${r["platform"]}`);
  }
  if (r["instruments"] !== undefined && !near(p["instruments"], r["instruments"])) {
    diffs.push(`instruments: ${JSON.stringify(p["instruments"])} vs ${JSON.stringify(r["instruments"])}`);
  }
  for (const k of SAME_VALUE_KEYS)
    if (r[k] !== undefined && !near(p[k], r[k])) diffs.push(`${k}: ${p[k]} vs ${r[k]}`);
  if (r["eo:cloud_cover"] !== undefined && !near(p["eo:cloud_cover"], r["eo:cloud_cover"], 1e-3)) {
    diffs.push(`eo:cloud_cover: ${p["eo:cloud_cover"]} vs ${r["eo:cloud_cover"]}`);
  }
  if (epsgOf(r) !== undefined && epsgOf(p) !== epsgOf(r))
    diffs.push(`proj:code: ${epsgOf(p)} vs ${epsgOf(r)}`);
  for (const k of ["sar:instrument_mode", "sar:polarizations"]) {
    if (r[k] !== undefined && !near(p[k], r[k]))
      diffs.push(`${k}: ${JSON.stringify(p[k])} vs ${JSON.stringify(r[k])}`);
  }
  const refType = PRODUCT_TYPE_KEYS.map((k) => r[k]).find((v) => v !== undefined);
  if (refType !== undefined && !near(p["product:type"], refType))
    diffs.push(`product:type: ${p["product:type"]} vs ${refType}`);
  const refBaseline = r["s2:processing_baseline"] ?? r["processing:version"];
  if (refBaseline !== undefined && p["processing:version"] !== refBaseline) {
    diffs.push(`processing:version: ${p["processing:version"]} vs ${refBaseline}`);
  }
  diffs.push(...compareGeometry(ours, ref, opts.geometryTolerance ?? 1e-3));
  return diffs.filter((d) => !opts.ignore?.some((field) => d.startsWith(`${field}:`)));
}

export function compareGeometry(ours: StacItem, ref: StacItem, tol: number): string[] {
  const diffs: string[] = [];
  // Documented difference: for a footprint cut at ±180 some tools write a full-width bbox; we write
  // the tighter one that crosses the antimeridian (west > east), as STAC recommends.
  const fullWidth = ref.bbox?.[0] === -180 && ref.bbox?.[2] === 180;
  const crosses = ours.bbox !== undefined && ours.bbox[0]! > ours.bbox[2]!;
  const sameLats =
    ours.bbox !== undefined &&
    ref.bbox !== undefined &&
    near([ours.bbox[1], ours.bbox[3]], [ref.bbox[1], ref.bbox[3]], tol);
  if (ref.bbox && !(fullWidth && crosses && sameLats) && (!ours.bbox || !near(ours.bbox, ref.bbox, tol))) {
    diffs.push(`bbox: ${JSON.stringify(ours.bbox)} vs ${JSON.stringify(ref.bbox)}`);
  }
  if (ref.geometry?.type !== ours.geometry?.type)
    diffs.push(`geometry.type: ${ours.geometry?.type} vs ${ref.geometry?.type}`);
  const refPts = positions(ref.geometry);
  // Vertices on ±180 are where a ring was cut: tools interpolate the crossing latitude differently.
  const far = positions(ours.geometry)
    .filter((q) => Math.abs(q[0]!) !== 180)
    .filter((q) => !refPts.some((r) => Math.abs(r[0]! - q[0]!) <= tol && Math.abs(r[1]! - q[1]!) <= tol));
  if (far.length > 0)
    diffs.push(`geometry: ${far.length} vertices not in the reference, e.g. ${JSON.stringify(far[0])}`);
  return diffs;
}
