// Deterministic synthetic Sentinel-1 GRD/SLC products (IW, EW, SM) as zipped SAFE folders: real-shaped
// manifest and annotations, a real quick-look PNG, measurement TIFFs as placeholders (large and sparse
// when asked).
import { crc16 } from "../../shared/products/sentinel-1/product-name.ts";
import type { ZipInput } from "../../shared/zip/zip-writer.ts";
import { type ArchiveOptions, md5Hex, type SyntheticArchive, shareOf, zipArchive } from "./common.ts";
import { syntheticQuicklookPng } from "./preview-images.ts";
import { type S1Names, type Sentinel1Options, sentinel1Names } from "./sentinel-1-names.ts";
import { type ManifestFile, s1Annotation, s1Auxiliary, s1Manifest } from "./sentinel-1-xml.ts";

export type { S1Mode, S1Polarisation, Sentinel1Options } from "./sentinel-1-names.ts";
export type Sentinel1ArchiveOptions = Sentinel1Options & ArchiveOptions;

const XSD = [
  "s1-level-1-product",
  "s1-level-1-noise",
  "s1-level-1-rfi",
  "s1-level-1-calibration",
  "s1-object-types",
  "s1-level-1-measurement",
  "s1-product-preview",
  "s1-level-1-quicklook",
  "s1-map-overlay",
];

export function planSentinel1Product(
  opts: Sentinel1ArchiveOptions = {},
): SyntheticArchive & { names: S1Names } {
  const n = sentinel1Names(opts);
  const root = `${n.name}.SAFE/`;
  const quickLook = syntheticQuicklookPng(n.name);
  const documents: { path: string; id: string; repId: string; data: string }[] = [];
  for (const img of n.images) {
    const flat = img.stem.replace(/-/g, "");
    documents.push({
      path: `annotation/${img.stem}.xml`,
      id: `product${flat}`,
      repId: "s1Level1ProductSchema",
      data: s1Annotation(n, img),
    });
    for (const kind of ["calibration", "noise"] as const) {
      documents.push({
        path: `annotation/calibration/${kind}-${img.stem}.xml`,
        id: `${kind}${flat}`,
        repId: `s1Level1${kind === "noise" ? "Noise" : "Calibration"}Schema`,
        data: s1Auxiliary(kind, n, img),
      });
    }
    documents.push({
      path: `annotation/rfi/rfi-${img.stem}.xml`,
      id: `rfi${flat}`,
      repId: "s1Level1RfiSchema",
      data: s1Auxiliary("rfi", n, img),
    });
  }
  documents.push(
    { path: "preview/map-overlay.kml", id: "mapoverlay", repId: "s1Level1MapOverlaySchema", data: kml(n) },
    {
      path: "preview/product-preview.html",
      id: "productpreview",
      repId: "s1Level1ProductPreviewSchema",
      data: `<html><head><title>${n.name}.SAFE</title></head><body><img src="quick-look.png"/></body></html>\n`,
    },
  );
  const support = XSD.map((x) => ({
    path: `support/${x}.xsd`,
    data: `<?xml version="1.0" encoding="UTF-8"?>\n<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"/>\n`,
  }));
  const tiffSize = shareOf(opts.targetSize, n.images.length, 1024);
  const files: ManifestFile[] = [
    ...documents.map((d) => ({
      path: d.path,
      id: d.id,
      repId: d.repId,
      mimeType: d.path.endsWith(".html") ? "text/html" : "text/xml",
      size: new TextEncoder().encode(d.data).length,
      md5: md5Hex(d.data),
    })),
    // Placeholders carry no checksum: their zeros are not the product's pixels.
    ...n.images.map((img) => ({
      path: `measurement/${img.stem}.tiff`,
      id: img.stem.replace(/-/g, ""),
      repId: "s1Level1MeasurementSchema",
      mimeType: "application/octet-stream",
      size: tiffSize,
    })),
    {
      path: "preview/quick-look.png",
      id: "quicklook",
      repId: "s1Level1QuickLookSchema",
      mimeType: "image/png",
      size: quickLook.length,
      md5: md5Hex(quickLook),
    },
  ];
  // Metadata first, measurement last, as ESA packs it: readers touch the directory and a few members.
  const inputs: ZipInput[] = [
    { name: `${root}manifest.safe`, data: withUniqueId(s1Manifest(n, files), n.name.slice(-4)) },
    ...documents.map((d) => ({ name: `${root}${d.path}`, data: d.data })),
    ...support.map((s) => ({ name: `${root}${s.path}`, data: s.data })),
    { name: `${root}preview/quick-look.png`, data: quickLook, method: "store" },
    { name: `${root}preview/thumbnail.png`, zeros: 8 * 1024 },
    ...n.images.map((img) => ({ name: `${root}measurement/${img.stem}.tiff`, zeros: tiffSize })),
  ];
  return { ...zipArchive(`${opts.prefix ?? ""}${n.name}.SAFE.zip`, n.name, inputs), names: n };
}

function kml(n: S1Names): string {
  const coords = n.footprint.map(([lon, lat]) => `${lon},${lat}`).join(" ");
  return `<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
  <Document><name>Sentinel-1 Map Overlay</name><Folder><name>${n.name}</name>
    <GroundOverlay><name>Sentinel-1 Image Overlay</name><Icon><href>quick-look.png</href></Icon>
      <gx:LatLonQuad><coordinates>${coords}</coordinates></gx:LatLonQuad>
    </GroundOverlay>
  </Folder></Document>
</kml>
`;
}

/**
 * A real product's unique id (the name's last field) is the CRC-16 of its manifest.safe, and readers
 * derive it so. The synthetic name is chosen first, so the manifest ends in a comment of 24 binary
 * digits chosen to make its CRC-16 that id: a CRC is linear, so which digits are "1" is found by
 * solving a small system over GF(2) rather than by searching.
 */
function withUniqueId(manifest: string, id: string): string {
  const encoder = new TextEncoder();
  const state = crc16(encoder.encode(`${manifest}<!-- unique id `));
  const tail = (mask: number) =>
    `${Array.from({ length: DIGITS }, (_, j) => ((mask >> j) & 1 ? "1" : "0")).join("")} -->\n`;
  const crcOf = (mask: number) => crc16(encoder.encode(tail(mask)), state);
  const base = crcOf(0);
  // Basis of the digits' effects, by highest bit: the effect vector and the digits that make it.
  const basis = new Map<number, { vec: number; mask: number }>();
  const reduce = (vec: number, mask: number): [number, number] => {
    for (let bit = 15; bit >= 0; bit--) {
      const b = basis.get(bit);
      if ((vec >> bit) & 1 && b) [vec, mask] = [vec ^ b.vec, mask ^ b.mask];
    }
    return [vec, mask];
  };
  for (let j = 0; j < DIGITS; j++) {
    const [vec, mask] = reduce(crcOf(1 << j) ^ base, 1 << j);
    if (vec) basis.set(31 - Math.clz32(vec), { vec, mask });
  }
  const [rest, mask] = reduce(Number.parseInt(id, 16) ^ base, 0);
  if (rest !== 0 || crcOf(mask) !== Number.parseInt(id, 16))
    throw new Error(`no manifest tail gives the unique id ${id}`);
  return `${manifest}<!-- unique id ${tail(mask)}`;
}

const DIGITS = 24;
