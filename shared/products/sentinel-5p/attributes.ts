// Sentinel-5P L2 global and METADATA attributes, from the `.json` attribute dump or from the netCDF-4
// file itself through the HDF5 metadata reader.

import { ProductError } from "../../errors.ts";
import type { Hdf5File, Hdf5Value } from "../../hdf5/hdf5-file.ts";

export interface S5pAttributes {
  id?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  orbit?: number | undefined;
  processorVersion?: string | undefined;
  productType?: string | undefined;
  processingMode?: string | undefined;
  /** "lat lon lat lon ..." */
  posList?: string | undefined;
}

export function attributesFromJson(bytes: Uint8Array, document: string): S5pAttributes {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (err) {
    throw new ProductError(`malformed JSON in ${document}: ${(err as Error).message}`);
  }
  const find = (node: unknown, key: string): unknown => {
    if (!node || typeof node !== "object") return undefined;
    const o = node as Record<string, unknown>;
    if (key in o) return o[key];
    for (const v of Object.values(o)) {
      const hit = find(v, key);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
  const str = (key: string) => {
    const v = find(doc, key);
    return v === undefined || v === null || typeof v === "object" ? undefined : String(v);
  };
  return {
    id: str("id"),
    start: str("time_coverage_start"),
    end: str("time_coverage_end"),
    orbit: str("orbit") === undefined ? undefined : Number(str("orbit")),
    processorVersion: str("processor_version"),
    productType: str("ProductShortName"),
    processingMode: str("ProcessingMode"),
    posList: str("gml:posList"),
  };
}

/** Where the S5P L2 netCDF-4 files keep what we index (the `.json` form mirrors the same groups). */
const GRANULE = "/METADATA/GRANULE_DESCRIPTION";
const FOOTPRINT =
  "/METADATA/EOP_METADATA/om:featureOfInterest/eop:multiExtentOf/gml:surfaceMembers/gml:exterior";

/** Reads the attributes through the file's HDF5 metadata: a few ranged reads, never the science data. */
export async function attributesFromNetcdf(file: Hdf5File): Promise<S5pAttributes> {
  const root = await valuesOf(file, "/", [
    "id",
    "time_coverage_start",
    "time_coverage_end",
    "orbit",
    "processor_version",
  ]);
  const granule = await valuesOf(file, GRANULE, ["ProductShortName", "ProcessingMode"]);
  const ring = await valuesOf(file, FOOTPRINT, ["gml:posList"]);
  const orbit = text(root["orbit"]);
  return {
    id: text(root["id"]),
    start: text(root["time_coverage_start"]),
    end: text(root["time_coverage_end"]),
    orbit: orbit !== undefined && /^\d+$/.test(orbit) ? Number(orbit) : undefined,
    processorVersion: text(root["processor_version"]),
    productType: text(granule["ProductShortName"]),
    processingMode: text(granule["ProcessingMode"]),
    posList: text(ring["gml:posList"]),
  };
}

/** The named attributes of the object at `path`; none when the object is absent (older products). */
async function valuesOf(
  file: Hdf5File,
  path: string,
  names: string[],
): Promise<Record<string, Hdf5Value | undefined>> {
  const attrs = (await file.attributes(path, names)) ?? [];
  return Object.fromEntries(attrs.map((a) => [a.name, a.value]));
}

/** netCDF writes single values as scalars or one-element arrays; either way, as text. */
function text(value: Hdf5Value | undefined): string | undefined {
  const v = Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
  if (v === undefined || v === null) return undefined;
  const s = String(v).trim();
  return s === "" ? undefined : s;
}
