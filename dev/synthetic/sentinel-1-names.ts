// Names, identifiers, raster shape and footprint of a synthetic Sentinel-1 product, from a few options.
import { addSeconds, compactTime, hexTag, pad, type Ring } from "./common.ts";

export type S1Mode = "IW" | "EW" | "SM";
export type S1Polarisation = "VV" | "VH" | "HH" | "HV";

export interface Sentinel1Options {
  platform?: "S1A" | "S1B" | "S1C";
  productType?: "GRD" | "SLC";
  mode?: S1Mode;
  /** Stripmap swath S1…S6 (SM only; the product name carries it instead of the mode). */
  swath?: "S1" | "S2" | "S3" | "S4" | "S5" | "S6";
  /** GRD resolution class: F (SM only), H, M. */
  resolution?: "F" | "H" | "M";
  /** One or two, co-polarisation first, e.g. ["VV", "VH"]. */
  polarisations?: S1Polarisation[];
  /** Acquisition start (UTC). */
  datetime?: string | Date;
  /** Slice length in seconds. */
  durationSeconds?: number;
  /** Four [lon, lat] corners (open ring), as the frame set lists them. */
  footprint?: Ring;
  absoluteOrbit?: number;
  relativeOrbit?: number;
  pass?: "ASCENDING" | "DESCENDING";
  datatakeId?: number;
  timeliness?: "NRT-3h" | "Fast-24h" | "NRT-10m";
  /** Raster shape of every image annotation (numberOfSamples × numberOfLines). */
  samples?: number;
  lines?: number;
  sliceNumber?: number;
  totalSlices?: number;
}

export interface S1Image {
  /** iw, ew, s3 (GRD) or iw1…iw3, ew1…ew5, s3 (SLC). */
  swath: string;
  pol: S1Polarisation;
  /** `s1a-iw-grd-vv-…-001`: the stem shared by annotation, calibration, noise and measurement files. */
  stem: string;
  index: number;
}

export interface S1Names {
  name: string;
  platform: string;
  productType: "GRD" | "SLC";
  mode: S1Mode;
  swaths: string[];
  polarisations: S1Polarisation[];
  start: Date;
  stop: Date;
  anxTime: Date;
  footprint: Ring;
  absoluteOrbit: number;
  relativeOrbit: number;
  pass: "ASCENDING" | "DESCENDING";
  datatakeId: number;
  timeliness: string;
  samples: number;
  lines: number;
  rangeSpacing: number;
  azimuthSpacing: number;
  sliceNumber: number;
  totalSlices: number;
  images: S1Image[];
}

/** Ground-range pixel spacing (m) by mode and resolution class, from the Sentinel-1 product spec. */
const GRD_SPACING: Record<string, number> = { SMF: 10, SMH: 25, SMM: 40, IWH: 10, IWM: 40, EWH: 25, EWM: 40 };
const SLC_SPACING: Record<S1Mode, [number, number]> = { IW: [2.3, 13.9], EW: [5.9, 19.9], SM: [2.2, 4.1] };
const SWATH_KM: Record<S1Mode, number> = { IW: 250, EW: 400, SM: 80 };
const SLC_SWATHS: Record<S1Mode, number> = { IW: 3, EW: 5, SM: 1 };
/** Absolute orbit of the first pass over relative orbit 1 (175-orbit repeat cycle). */
const ORBIT_OFFSET: Record<string, number> = { S1A: 73, S1B: 27, S1C: 73 };

export function sentinel1Names(o: Sentinel1Options = {}): S1Names {
  const platform = o.platform ?? "S1A";
  const productType = o.productType ?? "GRD";
  const mode = o.mode ?? "IW";
  const grd = productType === "GRD";
  const resolution = o.resolution ?? (mode === "EW" ? "M" : "H");
  const polarisations = o.polarisations ?? (mode === "EW" ? ["HH", "HV"] : ["VV", "VH"]);
  const duration = o.durationSeconds ?? (mode === "EW" ? 60 : 25);
  const start = new Date(o.datetime ?? "2024-05-12T05:07:31.118Z");
  const stop = addSeconds(start, duration);
  const absoluteOrbit = o.absoluteOrbit ?? 53_791;
  const relativeOrbit =
    o.relativeOrbit ?? ((absoluteOrbit - (ORBIT_OFFSET[platform] ?? 73) + 175_000) % 175) + 1;
  const pass = o.pass ?? "DESCENDING";
  const datatakeId = o.datatakeId ?? 0x068f3a;
  const swathCode = mode === "SM" ? (o.swath ?? "S3") : mode;
  const swaths =
    grd || mode === "SM"
      ? [swathCode]
      : Array.from({ length: SLC_SWATHS[mode] }, (_, i) => `${mode}${i + 1}`);
  const [rangeSpacing, azimuthSpacing] = grd
    ? [GRD_SPACING[`${mode}${resolution}`] ?? 10, GRD_SPACING[`${mode}${resolution}`] ?? 10]
    : SLC_SPACING[mode];
  const alongTrackM = duration * 6_800;
  // SLC range spacing is in slant range: on the ground a pixel is about 1/sin(35°) wider.
  const groundSpacing = grd ? rangeSpacing : rangeSpacing / 0.57;
  const samples = o.samples ?? Math.round((SWATH_KM[mode] * 1000) / swaths.length / groundSpacing);
  const lines = o.lines ?? Math.round(alongTrackM / azimuthSpacing);
  const polCode = `${polarisations.length > 1 ? "D" : "S"}${polarisations[0]![0]}`;
  const typeCode = grd ? `GRD${resolution}` : "SLC_";
  const s = compactTime(start);
  const e = compactTime(stop);
  const orbit = pad(absoluteOrbit, 6);
  const datatake = datatakeId.toString(16).toUpperCase().padStart(6, "0");
  const base = `${platform}_${swathCode}_${typeCode}_1S${polCode}_${s}_${e}_${orbit}_${datatake}`;
  const images: S1Image[] = [];
  polarisations.forEach((pol, p) => {
    swaths.forEach((sw, i) => {
      const index = p * swaths.length + i + 1;
      const stem = [
        platform.toLowerCase(),
        sw.toLowerCase(),
        productType.toLowerCase(),
        pol.toLowerCase(),
        s.toLowerCase(),
        e.toLowerCase(),
        orbit,
        datatake.toLowerCase(),
        pad(index, 3),
      ].join("-");
      images.push({ swath: sw.toLowerCase(), pol, stem, index });
    });
  });
  return {
    name: `${base}_${hexTag(base, 4)}`,
    platform,
    productType,
    mode,
    swaths,
    polarisations,
    start,
    stop,
    anxTime: addSeconds(start, -1_180.4),
    footprint: o.footprint ?? defaultFootprint(pass),
    absoluteOrbit,
    relativeOrbit,
    pass,
    datatakeId,
    timeliness: o.timeliness ?? "Fast-24h",
    samples,
    lines,
    rangeSpacing,
    azimuthSpacing,
    sliceNumber: o.sliceNumber ?? 4,
    totalSlices: o.totalSlices ?? 9,
    images,
  };
}

/** A tilted IW frame over Bohemia, corners in the order the frame set lists them. */
function defaultFootprint(pass: "ASCENDING" | "DESCENDING"): Ring {
  const ring: Ring = [
    [12.61, 51.02],
    [16.19, 51.43],
    [16.62, 49.91],
    [13.13, 49.51],
  ];
  return pass === "ASCENDING" ? ring : [ring[2]!, ring[3]!, ring[0]!, ring[1]!];
}
