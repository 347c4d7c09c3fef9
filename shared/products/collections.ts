// The collections readers put items in, and what the API says about each. Ids follow one scheme:
// `<mission>-<level or instrument>-<product>` in lower case (sentinel-2-l2a, sentinel-3-olci-efr).
import type { Link } from "../stac/types.ts";

export interface CollectionDescription {
  id: string;
  title: string;
  description: string;
  /** An SPDX identifier or `other` (STAC 1.1), with the terms as `license` links when `other`. */
  license: string;
  licenseLinks?: Link[];
  providers: { name: string; roles: string[]; url?: string }[];
  keywords: string[];
}

const ESA = { name: "ESA", roles: ["producer", "licensor"], url: "https://sentinel.esa.int" };
const EUMETSAT = { name: "EUMETSAT", roles: ["processor"], url: "https://www.eumetsat.int" };
const USGS = {
  name: "USGS",
  roles: ["producer", "processor", "licensor"],
  url: "https://www.usgs.gov/landsat-missions",
};
const ECMWF = { name: "ECMWF", roles: ["producer", "licensor"], url: "https://www.ecmwf.int" };
const HOST = { name: "hexarchive", roles: ["host"] };
/**
 * Copernicus terms are not SPDX licences: STAC 1.1 deprecates `proprietary` for `other` plus a link
 * with rel `license` to the terms.
 */
const SENTINEL_TERMS: Link = {
  rel: "license",
  href: "https://sentinel.esa.int/documents/247904/690755/Sentinel_Data_Legal_Notice",
  type: "application/pdf",
  title: "Legal notice on the use of Copernicus Sentinel Data and Service Information",
};
const C3S_TERMS: Link = {
  rel: "license",
  href: "https://cds.climate.copernicus.eu/api/v2/terms/static/licence-to-use-copernicus-products.pdf",
  type: "application/pdf",
  title: "Licence to use Copernicus Products",
};

function sentinel(
  id: string,
  title: string,
  description: string,
  keywords: string[],
  extra: (typeof ESA)[] = [],
) {
  return {
    id,
    title,
    description,
    license: "other",
    licenseLinks: [SENTINEL_TERMS],
    providers: [ESA, ...extra, HOST],
    keywords: ["copernicus", "esa", ...keywords],
  };
}

const KNOWN: CollectionDescription[] = [
  sentinel(
    "sentinel-2-l1c",
    "Sentinel-2 Level-1C",
    "Top-of-atmosphere reflectance, orthorectified 100 km MGRS tiles (MSI).",
    ["sentinel-2", "msi", "l1c", "optical"],
  ),
  sentinel(
    "sentinel-2-l2a",
    "Sentinel-2 Level-2A",
    "Bottom-of-atmosphere reflectance with scene classification, 100 km MGRS tiles (MSI).",
    ["sentinel-2", "msi", "l2a", "optical"],
  ),
  sentinel(
    "sentinel-1-grd",
    "Sentinel-1 Level-1 GRD",
    "C-band SAR ground-range detected products (IW, EW, SM).",
    ["sentinel-1", "sar", "c-band", "grd"],
  ),
  sentinel(
    "sentinel-1-slc",
    "Sentinel-1 Level-1 SLC",
    "C-band SAR single-look complex products (IW, EW, SM).",
    ["sentinel-1", "sar", "c-band", "slc"],
  ),
  sentinel("sentinel-1-raw", "Sentinel-1 Level-0 RAW", "C-band SAR level-0 raw data.", [
    "sentinel-1",
    "sar",
    "raw",
  ]),
  sentinel("sentinel-1-ocn", "Sentinel-1 Level-2 OCN", "Ocean wind, wave and radial velocity products.", [
    "sentinel-1",
    "sar",
    "ocean",
  ]),
  sentinel(
    "sentinel-3-olci-efr",
    "Sentinel-3 OLCI Level-1 EFR",
    "OLCI full-resolution top-of-atmosphere radiances.",
    ["sentinel-3", "olci"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-olci-err",
    "Sentinel-3 OLCI Level-1 ERR",
    "OLCI reduced-resolution top-of-atmosphere radiances.",
    ["sentinel-3", "olci"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-olci-lfr",
    "Sentinel-3 OLCI Level-2 LFR",
    "OLCI full-resolution land products.",
    ["sentinel-3", "olci", "land"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-olci-lrr",
    "Sentinel-3 OLCI Level-2 LRR",
    "OLCI reduced-resolution land products.",
    ["sentinel-3", "olci", "land"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-olci-wfr",
    "Sentinel-3 OLCI Level-2 WFR",
    "OLCI full-resolution water products.",
    ["sentinel-3", "olci", "water"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-olci-wrr",
    "Sentinel-3 OLCI Level-2 WRR",
    "OLCI reduced-resolution water products.",
    ["sentinel-3", "olci", "water"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-slstr-rbt",
    "Sentinel-3 SLSTR Level-1 RBT",
    "SLSTR radiances and brightness temperatures.",
    ["sentinel-3", "slstr"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-slstr-lst",
    "Sentinel-3 SLSTR Level-2 LST",
    "SLSTR land surface temperature.",
    ["sentinel-3", "slstr", "temperature"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-slstr-wst",
    "Sentinel-3 SLSTR Level-2 WST",
    "SLSTR sea surface temperature.",
    ["sentinel-3", "slstr", "temperature"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-slstr-frp",
    "Sentinel-3 SLSTR Level-2 FRP",
    "SLSTR fire radiative power.",
    ["sentinel-3", "slstr", "fire"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-sral-sra",
    "Sentinel-3 SRAL Level-1 SRA",
    "SRAL altimeter level-1 measurements.",
    ["sentinel-3", "sral", "altimetry"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-sral-lan",
    "Sentinel-3 SRAL Level-2 LAN",
    "SRAL altimetry over land.",
    ["sentinel-3", "sral", "altimetry"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-sral-wat",
    "Sentinel-3 SRAL Level-2 WAT",
    "SRAL altimetry over water.",
    ["sentinel-3", "sral", "altimetry"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-synergy-syn",
    "Sentinel-3 Synergy Level-2 SYN",
    "OLCI + SLSTR surface reflectance and aerosol.",
    ["sentinel-3", "olci", "slstr"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-synergy-vgp",
    "Sentinel-3 Synergy Level-2 VGP",
    "Vegetation-like top-of-atmosphere reflectance.",
    ["sentinel-3", "synergy"],
    [EUMETSAT],
  ),
  sentinel(
    "sentinel-3-synergy-aod",
    "Sentinel-3 Synergy Level-2 AOD",
    "Aerosol optical depth.",
    ["sentinel-3", "synergy", "aerosol"],
    [EUMETSAT],
  ),
  {
    id: "landsat-c2-l2",
    title: "Landsat Collection 2 Level-2",
    description:
      "Landsat 4-9 surface reflectance and surface temperature scenes (USGS Collection 2, Level-2).",
    license: "PDDL-1.0",
    providers: [USGS, HOST],
    keywords: ["landsat", "usgs", "reflectance", "temperature"],
  },
  {
    id: "landsat-c2-l1",
    title: "Landsat Collection 2 Level-1",
    description: "Landsat top-of-atmosphere scenes (USGS Collection 2, Level-1).",
    license: "PDDL-1.0",
    providers: [USGS, HOST],
    keywords: ["landsat", "usgs"],
  },
  {
    id: "ecmwf-grib",
    title: "ECMWF GRIB fields",
    description: "Gridded fields in GRIB 1/2 (e.g. ERA5 reanalysis month files): time range and grid extent.",
    license: "other",
    licenseLinks: [C3S_TERMS],
    providers: [ECMWF, HOST],
    keywords: ["ecmwf", "era5", "grib", "climate"],
  },
  {
    id: "misc",
    title: "Miscellaneous items",
    description: "Items ingested from STAC sidecars that name no collection.",
    license: "other",
    providers: [HOST],
    keywords: ["stac"],
  },
];

const BY_ID = new Map(KNOWN.map((c) => [c.id, c]));

export function knownCollections(): CollectionDescription[] {
  return [...KNOWN];
}

/**
 * What to say about a collection. Readers may produce ids outside the table (a new Sentinel-3 or -5P
 * product type, a sidecar's own collection): those get a generic description rather than no collection.
 */
export function describeCollection(id: string): CollectionDescription {
  const known = BY_ID.get(id);
  if (known) return known;
  const s5p = /^sentinel-5p-l2-(.+)$/.exec(id);
  if (s5p) {
    const product = s5p[1]!.toUpperCase();
    return sentinel(id, `Sentinel-5P Level-2 ${product}`, `TROPOMI level-2 ${product} product.`, [
      "sentinel-5p",
      "tropomi",
      s5p[1]!,
    ]);
  }
  if (id.startsWith("sentinel-")) {
    return sentinel(id, id, `Copernicus ${id} products.`, id.split("-"));
  }
  return {
    id,
    title: id,
    description: `Items of collection ${id}.`,
    license: "other",
    providers: [HOST],
    keywords: [],
  };
}

/** `OL_2_LFR___` → `sentinel-3-olci-lfr`. */
export function sentinel3Collection(productType: string): string {
  const instrument = {
    OL: "olci",
    SL: "slstr",
    SR: "sral",
    SY: "synergy",
    MW: "mwr",
    DO: "doris",
    GN: "gnss",
  }[productType.slice(0, 2)];
  const type = productType.slice(5).replace(/_+$/, "").replace(/_/g, "-").toLowerCase();
  return `sentinel-3-${instrument ?? productType.slice(0, 2).toLowerCase()}-${type}`;
}

/**
 * The licence a collection is served with: a collection stored as `proprietary` before STAC 1.1's
 * `other` + `license` link gets its description's (`other` and the terms' link, when it is one of ours).
 */
export function servedLicense(id: string, stored: string): { license: string; links: Link[] } {
  if (stored !== "proprietary") return { license: stored, links: [] };
  const d = describeCollection(id);
  return d.licenseLinks ? { license: d.license, links: d.licenseLinks } : { license: stored, links: [] };
}
