// One entry point over the generators, for sample data and benchmarks that mix missions.
import { type ArchiveOptions, archiveBytes, type SyntheticArchive } from "./common.ts";
import { type LandsatOptions, planLandsatScene } from "./landsat.ts";
import { planSentinel1Product, type Sentinel1ArchiveOptions } from "./sentinel-1.ts";
import { type GenerateOptions, planSentinel2Product } from "./sentinel-2.ts";
import { planSentinel3Product, type Sentinel3ArchiveOptions } from "./sentinel-3.ts";

export type ProductSpec =
  | ({ mission: "sentinel-1" } & Sentinel1ArchiveOptions)
  | ({ mission: "sentinel-2" } & GenerateOptions)
  | ({ mission: "sentinel-3" } & Sentinel3ArchiveOptions)
  | ({ mission: "landsat" } & LandsatOptions);

export function planProduct(spec: ProductSpec): SyntheticArchive {
  switch (spec.mission) {
    case "sentinel-1":
      return planSentinel1Product(spec);
    case "sentinel-2":
      return { ...planSentinel2Product(spec), contentType: "application/zip" };
    case "sentinel-3":
      return planSentinel3Product(spec);
    case "landsat":
      return planLandsatScene(spec);
  }
}

/** A small product whole, e.g. to upload it with one PUT. */
export function generateProduct(
  spec: ProductSpec & ArchiveOptions,
): SyntheticArchive & { bytes: Uint8Array } {
  const a = planProduct(spec);
  return { ...a, bytes: archiveBytes(a) };
}
