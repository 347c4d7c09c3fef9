// Names, orbit, footprint and file list of a synthetic Sentinel-3 product, from a few options.
import { addSeconds, compactTime, pad, type Ring, round } from "./common.ts";

export type S3ProductType =
  | "OL_1_EFR___"
  | "OL_1_ERR___"
  | "OL_2_LFR___"
  | "OL_2_WFR___"
  | "SL_1_RBT___"
  | "SL_2_LST___"
  | "SR_1_SRA___"
  | "SR_2_WAT___"
  | "SR_2_LAN___"
  | "SY_2_SYN___";

export interface Sentinel3Options {
  platform?: "S3A" | "S3B";
  productType?: S3ProductType;
  /** Sensing start (UTC). */
  datetime?: string | Date;
  durationSeconds?: number;
  /** [lon, lat] ring (open), any length: a 3-minute frame or a half-orbit strip. */
  footprint?: Ring;
  absoluteOrbit?: number;
  relativeOrbit?: number;
  cycle?: number;
  orbitDirection?: "ascending" | "descending";
  timeliness?: "NR" | "NT" | "ST";
  baseline?: string;
  /** Only written for the product types whose manifests carry it (OL_2, SL, SY). */
  cloudCover?: number;
  landCover?: number;
}

export interface S3Names {
  name: string;
  platform: string;
  productType: S3ProductType;
  family: "OL" | "SL" | "SR" | "SY";
  level: number;
  start: Date;
  stop: Date;
  creation: Date;
  footprint: Ring;
  absoluteOrbit: number;
  relativeOrbit: number;
  cycle: number;
  orbitDirection: string;
  timeliness: string;
  baseline: string;
  /** Cloud and land percentages, undefined where the product type carries none. */
  cloudCover: number | undefined;
  landCover: number | undefined;
  centre: string;
  /** netCDF files of the product, relative to the .SEN3 folder. */
  files: string[];
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const oa = (bands: number[], suffix: string, prefix = "") =>
  bands.map((b) => `${prefix}Oa${pad(b, 2)}_${suffix}.nc`);
const views = (stems: string[], grids: string[]) => stems.flatMap((s) => grids.map((g) => `${s}_${g}.nc`));
const TIE = ["tie_geo_coordinates.nc", "tie_geometries.nc", "tie_meteo.nc", "time_coordinates.nc"];
const WFR_BANDS = [...range(1, 12), 16, 17, 18, 21];

/** The files each product type holds, as in the real products (fixtures of baseline 002–004). */
const FILES: Record<S3ProductType, () => string[]> = {
  OL_1_EFR___: () => [
    ...oa(range(1, 21), "radiance"),
    "geo_coordinates.nc",
    "instrument_data.nc",
    "qualityFlags.nc",
    "removed_pixels.nc",
    ...TIE,
  ],
  OL_1_ERR___: () => [
    ...oa(range(1, 21), "radiance"),
    "geo_coordinates.nc",
    "instrument_data.nc",
    "qualityFlags.nc",
    ...TIE,
  ],
  OL_2_LFR___: () => [
    "geo_coordinates.nc",
    "instrument_data.nc",
    "iwv.nc",
    "lqsf.nc",
    "ogvi.nc",
    "otci.nc",
    "rc_ogvi.nc",
    ...TIE,
  ],
  OL_2_WFR___: () => [
    ...oa(WFR_BANDS, "reflectance"),
    ...["chl_nn", "chl_oc4me", "geo_coordinates", "instrument_data", "iop_nn", "iwv", "par"].map(
      (f) => `${f}.nc`,
    ),
    ...TIE,
    ...["trsp", "tsm_nn", "w_aer", "wqsf"].map((f) => `${f}.nc`),
  ],
  SL_1_RBT___: () => [
    "viscal.nc",
    ...views(["cartesian", "flags", "geodetic", "indices"], ["an", "ao", "bn", "bo", "fn", "fo", "in", "io"]),
    "cartesian_tx.nc",
    "geodetic_tx.nc",
    ...views(["F1_BT", "F1_quality"], ["fn", "fo"]),
    ...views(["F2_BT", "F2_quality"], ["in", "io"]),
    "geometry_tn.nc",
    "geometry_to.nc",
    "met_tx.nc",
    ...[1, 2, 3].flatMap((s) => views([`S${s}_quality`, `S${s}_radiance`], ["an", "ao"])),
    ...[4, 5, 6].flatMap((s) => views([`S${s}_quality`, `S${s}_radiance`], ["an", "ao", "bn", "bo"])),
    ...[7, 8, 9].flatMap((s) => views([`S${s}_BT`, `S${s}_quality`], ["in", "io"])),
    "time_an.nc",
    "time_bn.nc",
    "time_in.nc",
  ],
  SL_2_LST___: () =>
    ["LST_ancillary_ds", "LST_in", "cartesian_in", "cartesian_tx", "flags_in", "geodetic_in", "geodetic_tx"]
      .concat(["geometry_tn", "indices_in", "met_tx", "time_in"])
      .map((f) => `${f}.nc`),
  SR_1_SRA___: () => ["measurement.nc"],
  SR_2_WAT___: () => ["enhanced_measurement.nc", "standard_measurement.nc", "reduced_measurement.nc"],
  SR_2_LAN___: () => ["enhanced_measurement.nc", "standard_measurement.nc", "reduced_measurement.nc"],
  SY_2_SYN___: () => [
    "Syn_AMIN.nc",
    "Syn_AOT550.nc",
    "Syn_Angstrom_exp550.nc",
    ...oa(WFR_BANDS, "reflectance", "Syn_"),
    ...[1, 2, 3, 5, 6].flatMap((s) => [`Syn_S${s}N_reflectance.nc`, `Syn_S${s}O_reflectance.nc`]),
    "Syn_SDR_removed_pixel.nc",
    "flags.nc",
    "Syn_annot_rem.nc",
    "geolocation.nc",
    ...["meteo", "olci", "slstr_n", "slstr_o"].map((t) => `tiepoints_${t}.nc`),
    "time.nc",
  ],
};

/** Processing centre token of the name, as the fixtures carry it. */
const CENTRE: Record<S3ProductType, string> = {
  OL_1_EFR___: "LN1",
  OL_1_ERR___: "LN1",
  OL_2_LFR___: "LN1",
  OL_2_WFR___: "MAR",
  SL_1_RBT___: "LN2",
  SL_2_LST___: "LN2",
  SR_1_SRA___: "PS1",
  SR_2_WAT___: "MAR",
  SR_2_LAN___: "LN3",
  SY_2_SYN___: "LN2",
};

/** Half-orbit products (ERR stripes, altimetry passes) rather than 3-minute frames. */
const isPass = (t: S3ProductType) => t === "OL_1_ERR___" || t.startsWith("SR_");

export function sentinel3Names(o: Sentinel3Options = {}): S3Names {
  const platform = o.platform ?? "S3A";
  const productType = o.productType ?? "OL_1_EFR___";
  const family = productType.slice(0, 2) as S3Names["family"];
  const level = Number(productType[3]);
  const pass = isPass(productType);
  const duration = o.durationSeconds ?? (pass ? 2_580 : 180);
  const start = new Date(o.datetime ?? "2024-05-12T09:41:07.318Z");
  const stop = addSeconds(start, duration);
  const creation = addSeconds(stop, o.timeliness === "NT" ? 36 * 3600 : 5_400);
  const absoluteOrbit = o.absoluteOrbit ?? 42_517;
  const relativeOrbit = o.relativeOrbit ?? ((absoluteOrbit + 26) % 385) + 1;
  const cycle = o.cycle ?? Math.floor((absoluteOrbit + 26) / 385) + 1;
  const timeliness = o.timeliness ?? "NT";
  const baseline = o.baseline ?? (family === "SL" || family === "SR" ? "004" : "003");
  const hasCover = family === "SL" || family === "SY" || productType.startsWith("OL_2");
  // Along-track coordinate: seconds since the ascending node, in whole minutes (orbit ≈ 6,060 s).
  const frame = pass ? "____" : pad(Math.floor(((start.getTime() / 1000) % 6_060) / 60) * 60, 4);
  const name = [
    platform,
    `${productType}`,
    compactTime(start),
    compactTime(stop),
    compactTime(creation),
    pad(Math.floor(duration), 4),
    pad(cycle, 3),
    pad(relativeOrbit, 3),
    frame,
    CENTRE[productType],
    "O",
    timeliness,
    baseline,
  ].join("_");
  return {
    name,
    platform,
    productType,
    family,
    level,
    start,
    stop,
    creation,
    footprint: o.footprint ?? (pass ? halfOrbitStrip(productType) : frameFootprint()),
    absoluteOrbit,
    relativeOrbit,
    cycle,
    orbitDirection: o.orbitDirection ?? "descending",
    timeliness,
    baseline,
    cloudCover: hasCover ? (o.cloudCover ?? 37.25) : undefined,
    landCover: hasCover ? (o.landCover ?? 41.5) : undefined,
    centre: CENTRE[productType],
    files: FILES[productType](),
  };
}

/** A 1,270 km OLCI frame over central Europe, edges sampled as the manifests sample them. */
function frameFootprint(): Ring {
  const corners: Ring = [
    [3.9, 56.4],
    [21.4, 54.1],
    [17.6, 43.3],
    [2.2, 45.4],
  ];
  return densify(corners, 8);
}

/** A descending half-orbit strip, north to south, as ERR stripes and altimetry passes cover. */
function halfOrbitStrip(t: S3ProductType): Ring {
  const halfWidth = t.startsWith("SR_") ? 0.15 : 6;
  const track: [number, number][] = range(0, 30).map((i) => {
    const lat = 80 - (155 * i) / 30;
    return [round(24 - 0.16 * (80 - lat) - 18 * Math.sin((lat * Math.PI) / 180) ** 9, 4), round(lat, 4)];
  });
  const side = (sign: number) =>
    track.map(
      ([lon, lat]) =>
        [round(lon + (sign * halfWidth) / Math.cos((lat * Math.PI) / 180), 4), lat] as [number, number],
    );
  return [...side(1), ...side(-1).reverse()];
}

function densify(corners: Ring, perEdge: number): Ring {
  const out: Ring = [];
  corners.forEach((a, i) => {
    const b = corners[(i + 1) % corners.length]!;
    for (let k = 0; k < perEdge; k++) {
      const f = k / perEdge;
      out.push([round(a[0] + (b[0] - a[0]) * f, 4), round(a[1] + (b[1] - a[1]) * f, 4)]);
    }
  });
  return out;
}
