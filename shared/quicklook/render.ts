// A preview of any supported format as a JPEG quicklook of at most QUICKLOOK_MAX_SIDE pixels.
import jpeg from "jpeg-js";
import { decodePreview, type PreviewFormat, sniffFormat } from "./decode.ts";
import { fitWithin } from "./raster.ts";

/** DHuS quicklooks and Sentinel-2 `_PVI` previews are a few hundred pixels; 512 keeps the detail. */
export const QUICKLOOK_MAX_SIDE = 512;
const QUALITY = 85;

export interface Quicklook {
  jpeg: Uint8Array;
  width: number;
  height: number;
  /** What the preview was. */
  source: PreviewFormat;
}

export async function renderQuicklook(
  bytes: Uint8Array,
  opts: { maxSide?: number; quality?: number } = {},
): Promise<Quicklook> {
  const maxSide = opts.maxSide ?? QUICKLOOK_MAX_SIDE;
  const source = sniffFormat(bytes);
  const picture = fitWithin(await decodePreview(bytes, maxSide), maxSide);
  const encoded = jpeg.encode(picture, opts.quality ?? QUALITY);
  return {
    jpeg: new Uint8Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.byteLength),
    width: picture.width,
    height: picture.height,
    source: source!,
  };
}
