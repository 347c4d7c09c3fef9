// Deterministic synthetic Sentinel-3 products (OLCI, SLSTR, SRAL, SYN) as zipped .SEN3 folders: a
// real-shaped xfdumanifest.xml and netCDF placeholders (large and sparse when asked).
import type { ZipInput } from "../../shared/zip/zip-writer.ts";
import { type ArchiveOptions, type SyntheticArchive, shareOf, zipArchive } from "./common.ts";
import { type S3Names, type Sentinel3Options, sentinel3Names } from "./sentinel-3-names.ts";
import { s3Manifest } from "./sentinel-3-xml.ts";

export type { S3ProductType, Sentinel3Options } from "./sentinel-3-names.ts";
export type Sentinel3ArchiveOptions = Sentinel3Options & ArchiveOptions;

export function planSentinel3Product(
  opts: Sentinel3ArchiveOptions = {},
): SyntheticArchive & { names: S3Names } {
  const n = sentinel3Names(opts);
  const root = `${n.name}.SEN3/`;
  const size = shareOf(opts.targetSize, n.files.length, 2048);
  // Placeholders carry no checksum: their zeros are not the product's data.
  const objects = n.files.map((path) => ({ path, size }));
  const inputs: ZipInput[] = [
    { name: `${root}xfdumanifest.xml`, data: s3Manifest(n, objects) },
    ...n.files.map((f) => ({ name: `${root}${f}`, zeros: size })),
  ];
  return { ...zipArchive(`${opts.prefix ?? ""}${n.name}.SEN3.zip`, n.name, inputs), names: n };
}
