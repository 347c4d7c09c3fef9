// Decides from an object's key (and, when the key says nothing, its first bytes) what it is.
import { SNAPSHOTS_PREFIX } from "./object-home.ts";

export type Format =
  | { kind: "sidecar" }
  | { kind: "zip" }
  | { kind: "tar" }
  /** A product uploaded object by object; `root` is its folder's name, whatever it is. */
  | { kind: "safe-folder"; prefix: string; root: string }
  | { kind: "landsat-folder"; prefix: string }
  | { kind: "sentinel-5p"; form: "netcdf" | "json" }
  | { kind: "grib" }
  | { kind: "member"; reason: string }
  | { kind: "sniff" }
  | { kind: "unknown"; reason: string };

/**
 * The files an unzipped product is read at: its manifest, or for a Sentinel-2 SAFE, which is complete
 * without one, also its product metadata. The folder may have any name: identity comes from inside.
 */
const PRODUCT_FILES =
  /^(.*\/)?([^/]+)\/(manifest\.safe|xfdumanifest\.xml|MTD_MSIL(?:1C|2A)\.xml|S2[A-D]_OPER_MTD_SAFL(?:1C|2A)_[^/]*\.xml)$/i;
const IN_PRODUCT_FOLDER = /(^|\/)[^/]+\.(SAFE|SEN3)\//i;
/** Folders and files of the SAFE layout: members of a product however its folder is called. */
const SAFE_MEMBER =
  /(^|\/)(GRANULE|DATASTRIP|AUX_DATA|HTML|rep_info|annotation|measurement)\/|(^|\/)INSPIRE\.xml$/;
const LANDSAT = /^L[COTEM]0\d_L\d[A-Z]{2}_\d{6}_\d{8}_\d{8}_\d{2}_(T1|T2|RT|A1|A2)/;
const ASSET_FILES = /\.(tiff?|jp2|png|jpe?g|nc|h5|hdf|cog)$/i;

const MEMBER_REASON =
  "file of an unzipped product; the product is read when its manifest (Sentinel-2: or its MTD_MSIL*.xml) arrives";

export function detectFormat(key: string): Format {
  const name = key.split("/").at(-1) ?? key;
  if (key.startsWith(SNAPSHOTS_PREFIX))
    return { kind: "member", reason: "the catalogue's own snapshot, not a product" };
  if (/\.stac\.json$/i.test(name)) return { kind: "sidecar" };
  const product = PRODUCT_FILES.exec(key);
  if (product) return { kind: "safe-folder", prefix: `${product[1] ?? ""}${product[2]}/`, root: product[2]! };
  if (IN_PRODUCT_FOLDER.test(key)) return { kind: "member", reason: MEMBER_REASON };
  if (/\.zip$/i.test(name)) return { kind: "zip" };
  if (/\.tar$/i.test(name)) return { kind: "tar" };
  if (LANDSAT.test(name)) {
    if (/_MTL\.(json|xml|txt)$/i.test(name))
      return { kind: "landsat-folder", prefix: key.slice(0, key.length - name.length) };
    return { kind: "member", reason: "file of a Landsat scene; the scene is read from its MTL file" };
  }
  if (/^S5P_.*\.nc$/i.test(name)) return { kind: "sentinel-5p", form: "netcdf" };
  if (/^S5P_.*\.json$/i.test(name)) return { kind: "sentinel-5p", form: "json" };
  if (/\.(grib2?|grb2?)$/i.test(name)) return { kind: "grib" };
  if (SAFE_MEMBER.test(key)) return { kind: "member", reason: MEMBER_REASON };
  if (ASSET_FILES.test(name)) {
    return { kind: "member", reason: "asset file with no product structure; a STAC sidecar may describe it" };
  }
  if (!/\.[A-Za-z0-9]{1,5}$/.test(name)) return { kind: "sniff" };
  return { kind: "unknown", reason: `unknown product format: ${name}` };
}

/** Magic numbers for keys that carry no extension. */
export function sniffFormat(head: Uint8Array): "zip" | "grib" | "hdf5" | "tar" | undefined {
  const ascii = new TextDecoder("latin1").decode(head.subarray(0, 8));
  if (ascii.startsWith("PK\u0003\u0004")) return "zip";
  if (ascii.startsWith("GRIB")) return "grib";
  if (ascii.startsWith("\u0089HDF")) return "hdf5";
  if (head.length >= 263 && new TextDecoder("latin1").decode(head.subarray(257, 262)) === "ustar")
    return "tar";
  return undefined;
}
