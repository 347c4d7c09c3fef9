// Sentinel-5P L2 global attributes, from the `.json` attribute dump or, without an HDF5 reader, by
// scanning the netCDF-4 file's metadata for the attributes we need (see readNetcdfAttributes).
import { ProductError } from "../../http/errors.ts";

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

const latin1 = new TextDecoder("latin1");

/**
 * Not an HDF5 reader: HDF5 stores fixed-length string attributes as their name followed, within a few
 * hundred bytes, by their value. We look for each attribute name and take the first value of the
 * expected shape after it. Good enough for the S5P metadata layout; a real HDF5 reader (h5wasm) would
 * be the robust path.
 */
export function attributesFromNetcdf(bytes: Uint8Array): S5pAttributes {
  const text = latin1.decode(bytes);
  const after = (name: string, pattern: RegExp, window = 400): string | undefined => {
    let at = text.indexOf(`${name}\u0000`);
    while (at >= 0) {
      const m = pattern.exec(text.slice(at + name.length, at + name.length + window));
      if (m) return m[1];
      at = text.indexOf(`${name}\u0000`, at + 1);
    }
    return undefined;
  };
  const iso = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)/;
  const orbitText = /^S5P_\w{4}_.{10}_\d{8}T\d{6}_\d{8}T\d{6}_(\d{5})_/.exec(
    after("id", /(S5P_[A-Z0-9_]{60,90})/) ?? "",
  );
  return {
    id: after("id", /(S5P_[A-Z0-9_]{60,90})/),
    start: after("time_coverage_start", iso),
    end: after("time_coverage_end", iso),
    orbit: orbitText ? Number(orbitText[1]) : undefined,
    processorVersion: after("processor_version", /(\d+\.\d+\.\d+)/),
    productType: after("ProductShortName", /(L2__[A-Z0-9_]{6})/),
    processingMode: after("ProcessingMode", /(Near-realtime|Offline|Reprocessing|Test)/),
    posList: after("gml:posList", /(-?\d+(?:\.\d+)?(?: -?\d+(?:\.\d+)?){5,})/, 200_000),
  };
}
