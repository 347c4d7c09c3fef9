// Synthetic products for `npm start` sample data, integration tests and the benchmark.
export { listFolder, manifestFiles, packFolderEntries, packFolderToZip } from "./pack-fixture.ts";
export {
  type GenerateOptions,
  generateSentinel2Product,
  planSentinel2Product,
  type Sentinel2Options,
  type SyntheticProduct,
} from "./sentinel-2.ts";
