// Archive access over ranged reads: zip (read + plan/write) and tar (list + write).
export { crc32, crc32OfZeros } from "./crc32.ts";
export {
  bytesReader,
  cachingReader,
  countingReader,
  objectReader,
  type RangeReader,
  type ReadStats,
} from "./range-reader.ts";
export { listTar, type TarEntry, writeTar } from "./tar-reader.ts";
export { DEFAULT_LIMITS, type ZipLimits } from "./zip-format.ts";
export { memberRef, readZipMember } from "./zip-member.ts";
export { planChunks, planToBytes, readPlanRange } from "./zip-output.ts";
export { openZip, type ZipArchive, type ZipEntry } from "./zip-reader.ts";
export { type PlannedMember, planZip, type ZipInput, type ZipPart, type ZipPlan } from "./zip-writer.ts";
