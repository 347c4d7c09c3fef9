// Synthetic products for `npm start` sample data, integration tests and the benchmark.
export {
  type ArchiveOptions,
  archiveBytes,
  type Ring,
  type SyntheticArchive,
} from "./common.ts";
export { type LandsatOptions, planLandsatScene } from "./landsat.ts";
export { listFolder, manifestFiles, packFolderEntries, packFolderToZip } from "./pack-fixture.ts";
export { generateProduct, type ProductSpec, planProduct } from "./plan-product.ts";
export {
  planSentinel1Product,
  type S1Mode,
  type S1Polarisation,
  type Sentinel1ArchiveOptions,
  type Sentinel1Options,
} from "./sentinel-1.ts";
export {
  type GenerateOptions,
  generateSentinel2Product,
  planSentinel2Product,
  type Sentinel2Options,
  type SyntheticProduct,
} from "./sentinel-2.ts";
export {
  planSentinel3Product,
  type S3ProductType,
  type Sentinel3ArchiveOptions,
  type Sentinel3Options,
} from "./sentinel-3.ts";
export { planTar, readTarRange, type TarInput, type TarPlan } from "./tar-plan.ts";
