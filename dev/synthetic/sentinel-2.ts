// Deterministic synthetic Sentinel-2 products: real-shaped metadata, a real JPEG 2000 preview (PVI),
// placeholder band files (small, or large and sparse: never materialised, served by byte range from the
// zip plan).
import { createHash } from "node:crypto";
import { planToBytes, readPlanRange } from "../../shared/zip/zip-output.ts";
import { planZip, type ZipInput, type ZipPlan } from "../../shared/zip/zip-writer.ts";
import { SENTINEL2_PVI_JP2 } from "./preview-images.ts";
import { type S2Names, type Sentinel2Options, sentinel2Names } from "./sentinel-2-names.ts";
import { type ManifestFile, productMtd, safeManifest, tileMtd } from "./sentinel-2-xml.ts";

const md5Hex = (data: string | Uint8Array) => createHash("md5").update(data).digest("hex");
const zeroMd5 = new Map<number, string>();
/** MD5 of `size` zero bytes, hashed in chunks once per size (band placeholders share sizes). */
function md5OfZeros(size: number): string {
  let digest = zeroMd5.get(size);
  if (!digest) {
    const h = createHash("md5");
    const chunk = new Uint8Array(Math.min(size, 1 << 20));
    for (let left = size; left > 0; left -= chunk.length)
      h.update(left >= chunk.length ? chunk : chunk.subarray(0, left));
    digest = h.digest("hex");
    zeroMd5.set(size, digest);
  }
  return digest;
}

export type { Sentinel2Options } from "./sentinel-2-names.ts";

export interface GenerateOptions extends Sentinel2Options {
  /** Total archive size to aim for; band files share it as zero-filled placeholders. Default: tiny. */
  targetSize?: number;
}

export interface SyntheticProduct {
  key: string;
  name: string;
  plan: ZipPlan;
  size: number;
  /** Bytes [start, end) of the archive, generated on demand. */
  read(start: number, end: number): Uint8Array;
}

const L1C_FILES = [
  "B01",
  "B02",
  "B03",
  "B04",
  "B05",
  "B06",
  "B07",
  "B08",
  "B8A",
  "B09",
  "B10",
  "B11",
  "B12",
  "TCI",
];
const L2A_FILES: Record<number, string[]> = {
  10: ["B02", "B03", "B04", "B08", "TCI", "AOT", "WVP"],
  20: ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B8A", "B11", "B12", "TCI", "AOT", "WVP", "SCL"],
  60: [
    "B01",
    "B02",
    "B03",
    "B04",
    "B05",
    "B06",
    "B07",
    "B8A",
    "B09",
    "B11",
    "B12",
    "TCI",
    "AOT",
    "WVP",
    "SCL",
  ],
};

export function imageFiles(n: S2Names): string[] {
  const base = `GRANULE/${n.granule}/IMG_DATA`;
  if (n.level === "L1C") return L1C_FILES.map((b) => `${base}/${n.imagePrefix}_${b}`);
  return Object.entries(L2A_FILES).flatMap(([res, ids]) =>
    ids.map((b) => `${base}/R${res}m/${n.imagePrefix}_${b}_${res}m`),
  );
}

export function planSentinel2Product(opts: GenerateOptions = {}): SyntheticProduct {
  const n = sentinel2Names(opts);
  const images = imageFiles(n);
  const preview = `GRANULE/${n.granule}/QI_DATA/${n.imagePrefix}_PVI.jp2`;
  const tilePath = `GRANULE/${n.granule}/MTD_TL.xml`;
  const mtdPath = `MTD_MSI${n.level}.xml`;
  const bandSize = Math.max(1024, Math.floor((opts.targetSize ?? 0) / images.length));
  const root = `${n.name}.SAFE/`;
  const texts: [string, string][] = [
    [mtdPath, productMtd(n, images)],
    ["INSPIRE.xml", '<gmd:MD_Metadata xmlns:gmd="http://www.isotc211.org/2005/gmd"/>'],
    [tilePath, tileMtd(n)],
  ];
  const zeros = images.map((i): [string, number] => [`${i}.jp2`, bandSize]);
  const listed: ManifestFile[] = [
    ...texts.map(([path, text]) => ({ path, size: Buffer.byteLength(text), md5: md5Hex(text) })),
    { path: preview, size: SENTINEL2_PVI_JP2.length, md5: md5Hex(SENTINEL2_PVI_JP2) },
    ...zeros.map(([path, size]) => ({ path, size, md5: md5OfZeros(size) })),
  ];
  // Metadata first, as ESA packs it: readers touch the head of the archive and its directory only.
  const inputs: ZipInput[] = [
    { name: `${root}manifest.safe`, data: safeManifest(n, listed) },
    ...texts.map(([path, data]) => ({ name: `${root}${path}`, data })),
    { name: `${root}${preview}`, data: SENTINEL2_PVI_JP2, method: "store" },
    ...zeros.map(([path, size]) => ({ name: `${root}${path}`, zeros: size })),
  ];
  const plan = planZip(inputs);
  return {
    key: `${opts.prefix ?? ""}${n.name}.SAFE.zip`,
    name: n.name,
    plan,
    size: plan.size,
    read: (start, end) => readPlanRange(plan, start, end),
  };
}

/** The whole archive in memory: for small products (the default placeholders are 1 KiB each). */
export function generateSentinel2Product(opts: GenerateOptions = {}): {
  key: string;
  name: string;
  bytes: Uint8Array;
} {
  const p = planSentinel2Product(opts);
  return { key: p.key, name: p.name, bytes: planToBytes(p.plan) };
}
