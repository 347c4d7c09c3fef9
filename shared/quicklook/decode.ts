// Any preview a product carries (PNG, JPEG, JPEG 2000), recognised by its first bytes, as RGBA.
import jpeg from "jpeg-js";
import pngjs from "pngjs";
import { ProductError } from "../errors.ts";
import { decodeJpeg2000, isJpeg2000 } from "./jp2.ts";
import { MAX_PIXELS, type Raster } from "./raster.ts";

export type PreviewFormat = "png" | "jpeg" | "jp2";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffFormat(b: Uint8Array): PreviewFormat | undefined {
  if (PNG_SIGNATURE.every((v, i) => b[i] === v)) return "png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (isJpeg2000(b)) return "jp2";
  return undefined;
}

/** Decodes to RGBA; JPEG 2000 may come out smaller than its full size (see decodeJpeg2000). */
export async function decodePreview(bytes: Uint8Array, maxSide: number): Promise<Raster> {
  const format = sniffFormat(bytes);
  if (format === "jp2") return decodeJpeg2000(bytes, maxSide);
  if (format === "png") return decodePng(bytes);
  if (format === "jpeg") {
    try {
      const maxResolutionInMP = MAX_PIXELS / 1e6;
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP });
      return { width: img.width, height: img.height, data: img.data };
    } catch (cause) {
      throw new ProductError("JPEG picture could not be decoded", { cause });
    }
  }
  const head = Buffer.from(bytes.subarray(0, 8)).toString("hex");
  throw new ProductError(`not a PNG, JPEG or JPEG 2000 picture (it starts with ${head || "nothing"})`);
}

function decodePng(bytes: Uint8Array): Raster {
  // IHDR is the first chunk: check the size before pngjs allocates for it.
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length >= 24 && dv.getUint32(16) * dv.getUint32(20) > MAX_PIXELS)
    throw new ProductError(`PNG picture of ${dv.getUint32(16)}×${dv.getUint32(20)} is too large to convert`);
  try {
    // pngjs turns every colour type and depth (palette, grey, 16-bit) into 8-bit RGBA.
    const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  } catch (cause) {
    throw new ProductError("PNG picture could not be decoded", { cause });
  }
}
