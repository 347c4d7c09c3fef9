// The Sentinel-1 product name (MMM_BB_TTTR_LFPP_start_stop_orbit_datatake_CCCC), derived from the
// product's own metadata so that a renamed zip or folder keeps its identity. The unique id CCCC is the
// CRC-16 (CCITT, initial 0xFFFF) of manifest.safe, as the product specification defines it.
import { ProductError } from "../../errors.ts";
import type { SafeManifest } from "../safe/manifest.ts";
import { findAll, findText, textOf } from "../xml.ts";

export interface S1NameParts {
  /** GRD ground-range pixel spacing (m) from a product annotation: tells the resolution class. */
  rangePixelSpacing?: number | undefined;
}

/** Ground-range pixel spacing (m) of each GRD resolution class, by mode (product specification). */
const GRD_CLASSES: Record<string, [string, number][]> = {
  IW: [
    ["H", 10],
    ["M", 40],
  ],
  EW: [
    ["H", 25],
    ["M", 40],
  ],
  SM: [
    ["F", 10],
    ["H", 25],
    ["M", 40],
  ],
  WV: [["M", 25]],
};

export function sentinel1ProductName(
  manifestBytes: Uint8Array,
  manifest: SafeManifest,
  parts: S1NameParts = {},
): string {
  const doc = manifest.doc;
  const number = manifest.number?.toUpperCase();
  const mode = findText(doc, "mode");
  const productType = findText(doc, "productType");
  const datatake = Number(findText(doc, "missionDataTakeID"));
  const start = compact(manifest.startTime);
  const stop = compact(manifest.stopTime);
  if (!number || !mode || !productType || !start || !stop || manifest.absoluteOrbit === undefined)
    throw new ProductError("manifest.safe lacks a field the product name is made of");
  if (!Number.isInteger(datatake)) throw new ProductError("manifest.safe has no s1sarl1:missionDataTakeID");
  const mission = `S1${number}`;
  // Stripmap products are named by their swath (S1…S6), the other modes by the mode.
  const beam = mode === "SM" ? (findText(doc, "swath") ?? mode) : mode;
  const orbit = String(manifest.absoluteOrbit).padStart(6, "0");
  const datatakeHex = datatake.toString(16).toUpperCase().padStart(6, "0");

  const resolution = productType === "GRD" ? grdClass(mode, parts.rangePixelSpacing) : "_";
  const level = productType === "RAW" ? "0" : productType === "OCN" ? "2" : "1";
  const productClass = findText(doc, "productClass") ?? "S";
  const pols = findAll(doc, "transmitterReceiverPolarisation").map((p) => (textOf(p) ?? "").toUpperCase());
  const tag = crc16(manifestBytes).toString(16).toUpperCase().padStart(4, "0");
  return [
    mission,
    beam,
    `${productType.padEnd(3, "_").slice(0, 3)}${resolution}`,
    `${level}${productClass}${polarisationCode(pols)}`,
    start,
    stop,
    orbit,
    datatakeHex,
    tag,
  ].join("_");
}

/** SH, SV, DH, DV; a lone cross-polarisation is written as itself (HV, VH). */
function polarisationCode(pols: string[]): string {
  if (pols.length >= 2) return pols.includes("HH") ? "DH" : "DV";
  const p = pols[0] ?? "";
  return p === "HH" ? "SH" : p === "VV" ? "SV" : p || "__";
}

/** The class whose nominal spacing is nearest; without an annotation the common class of the mode. */
function grdClass(mode: string, spacing: number | undefined): string {
  const classes = GRD_CLASSES[mode] ?? GRD_CLASSES["IW"]!;
  if (spacing === undefined || !Number.isFinite(spacing))
    return classes.find(([c]) => c === "H")?.[0] ?? classes[0]![0];
  let best = classes[0]!;
  for (const c of classes) if (Math.abs(c[1] - spacing) < Math.abs(best[1] - spacing)) best = c;
  return best[0];
}

/** "2021-08-09T17:39:53.153776" → "20210809T173953" (the name keeps whole seconds, cut not rounded). */
function compact(t: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(t ?? "");
  return m ? `${m[1]}${m[2]}${m[3]}T${m[4]}${m[5]}${m[6]}` : undefined;
}

/** CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final xor. */
export function crc16(bytes: Uint8Array, initial = 0xffff): number {
  let crc = initial;
  for (const b of bytes) {
    crc ^= b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
