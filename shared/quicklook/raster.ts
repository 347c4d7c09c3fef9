// Decoded pictures as 8-bit RGBA, and the box filter that shrinks them to quicklook size.

export interface Raster {
  width: number;
  height: number;
  /** 8-bit RGBA, row by row. */
  data: Uint8Array;
}

/** Largest picture (in pixels) any decoder here is allowed to produce: 64 MP is 256 MiB of RGBA. */
export const MAX_PIXELS = 64 * 1024 * 1024;

/** The size of `width`×`height` scaled to fit in `maxSide`×`maxSide`, never enlarged. */
export function fitSize(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * Shrinks to fit in `maxSide` by averaging each target pixel's source rectangle (a box filter: no
 * aliasing from skipped pixels, cheap enough for a few megapixels). Transparent pixels are laid over
 * black, the colour of no-data in EO quicklooks, since JPEG has no alpha.
 */
export function fitWithin(src: Raster, maxSide: number): Raster {
  const { width, height } = fitSize(src.width, src.height, maxSide);
  const out = new Uint8Array(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor(y * sy);
    const y1 = Math.max(y0 + 1, Math.min(src.height, Math.floor((y + 1) * sy)));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor(x * sx);
      const x1 = Math.max(x0 + 1, Math.min(src.width, Math.floor((x + 1) * sx)));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let yy = y0; yy < y1; yy++) {
        let i = (yy * src.width + x0) * 4;
        for (let xx = x0; xx < x1; xx++, i += 4) {
          const a = src.data[i + 3]!;
          r += src.data[i]! * a;
          g += src.data[i + 1]! * a;
          b += src.data[i + 2]! * a;
        }
      }
      const n = (y1 - y0) * (x1 - x0) * 255;
      const o = (y * width + x) * 4;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
      out[o + 3] = 255;
    }
  }
  return { width, height, data: out };
}
