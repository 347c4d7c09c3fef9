// Pieces every synthetic product shares: the archive handle, names from times, checksums, footprints.
import { createHash } from "node:crypto";
import { crc32 } from "../../shared/zip/crc32.ts";
import { readPlanRange } from "../../shared/zip/zip-output.ts";
import { planZip, type ZipInput, type ZipPlan } from "../../shared/zip/zip-writer.ts";

/** A product archive that is never held whole: bytes come out of a plan, one range at a time. */
export interface SyntheticArchive {
  key: string;
  /** Product name (the STAC item id the readers derive). */
  name: string;
  size: number;
  contentType: string;
  read(start: number, end: number): Uint8Array;
}

/** Options every generator takes. */
export interface ArchiveOptions {
  /** Key prefix in the bucket, e.g. "incoming/". */
  prefix?: string;
  /** Total archive size to aim for; data files share it as zero-filled, never materialised members. */
  targetSize?: number;
}

export type Ring = [number, number][];

/** A zipped product from its members; `plan` is kept for tests that want the member offsets. */
export function zipArchive(
  key: string,
  name: string,
  inputs: ZipInput[],
): SyntheticArchive & { plan: ZipPlan } {
  const plan = planZip(inputs);
  return {
    key,
    name,
    size: plan.size,
    contentType: "application/zip",
    plan,
    read: (start, end) => readPlanRange(plan, start, end),
  };
}

/** The whole archive in memory: only for small products (sample data, unit tests). */
export function archiveBytes(a: SyntheticArchive): Uint8Array {
  return a.read(0, a.size);
}

/** Size of each of `count` data files so that the archive comes near `targetSize` (minimum `floor`). */
export function shareOf(targetSize: number | undefined, count: number, floor: number): number {
  return Math.max(floor, Math.floor((targetSize ?? 0) / Math.max(1, count)));
}

export function toDate(v: string | Date | undefined, fallback: string): Date {
  const d = new Date(v ?? fallback);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid datetime: ${String(v)}`);
  return d;
}

/** 20240501T103021 */
export function compactTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, "").slice(0, 15);
}

/** 2024-05-01T10:30:21.024000 (microseconds, no zone), as Sentinel-1 manifests write times. */
export function microsTime(d: Date, zone = ""): string {
  return `${d.toISOString().slice(0, 23)}000${zone}`;
}

export function addSeconds(d: Date, s: number): Date {
  return new Date(d.getTime() + Math.round(s * 1000));
}

/** A short deterministic hex tag (product unique ids) derived from the rest of the name. */
export function hexTag(seed: string, digits: number): string {
  return (crc32(new TextEncoder().encode(seed)) >>> 0)
    .toString(16)
    .toUpperCase()
    .padStart(8, "0")
    .slice(-digits);
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

export const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** An axis-aligned [lon, lat] box (open ring, counter-clockwise from the south-west corner). */
export function box(west: number, south: number, east: number, north: number): Ring {
  return [
    [west, south],
    [east, south],
    [east, north],
    [west, north],
  ];
}

/** "lat lon lat lon …" as gml:posList and Sentinel-2 EXT_POS_LIST write it. */
export function latLonList(ring: Ring, closed: boolean): string {
  const pts = closed ? [...ring, ring[0]!] : ring;
  return pts.map(([lon, lat]) => `${round(lat)} ${round(lon)}`).join(" ");
}

export function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
