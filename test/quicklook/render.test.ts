// The converter on its own: each preview format becomes a JPEG of at most 512 px that decodes to the
// picture it came from; what is not a picture is a clear product error.
import { decode as decodeJpeg } from "jpeg-js";
import pngjs from "pngjs";
import { describe, expect, it } from "vitest";
import { SENTINEL2_PVI_JP2, syntheticQuicklookPng } from "../../dev/synthetic/preview-images.ts";
import { ProductError } from "../../shared/errors.ts";
import { readCodestreamHeader } from "../../shared/quicklook/jp2.ts";
import { renderQuicklook } from "../../shared/quicklook/render.ts";

function png(width: number, height: number, pixel: (x: number, y: number) => number[], colorType = 6) {
  const p = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) p.data.set(pixel(x, y), (y * width + x) * 4);
  return pngjs.PNG.sync.write(p, { colorType: colorType as 6 });
}

const at = (img: { width: number; data: Uint8Array }, x: number, y: number) =>
  Array.from(img.data.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3));
const near = (got: number[], want: number[], tolerance = 12) =>
  got.every((v, i) => Math.abs(v - want[i]!) <= tolerance);

describe("renderQuicklook", () => {
  it("shrinks a large PNG to 512 px on its longest side, keeping the aspect and the colours", async () => {
    // Left half red, right half blue.
    const source = png(1200, 600, (x) => (x < 600 ? [220, 20, 20, 255] : [20, 20, 220, 255]));
    const q = await renderQuicklook(source);
    expect([q.width, q.height, q.source]).toEqual([512, 256, "png"]);
    const img = decodeJpeg(q.jpeg, { useTArray: true });
    expect([img.width, img.height]).toEqual([512, 256]);
    expect(near(at(img, 100, 128), [220, 20, 20])).toBe(true);
    expect(near(at(img, 400, 128), [20, 20, 220])).toBe(true);
  });

  it("never enlarges a small picture, and lays transparent pixels over black", async () => {
    const source = png(40, 30, (x) => (x < 20 ? [255, 255, 255, 0] : [0, 200, 0, 255]));
    const q = await renderQuicklook(source);
    expect([q.width, q.height]).toEqual([40, 30]);
    const img = decodeJpeg(q.jpeg, { useTArray: true });
    expect(near(at(img, 5, 15), [0, 0, 0])).toBe(true);
    expect(near(at(img, 35, 15), [0, 200, 0])).toBe(true);
  });

  it("decodes the Sentinel-2 JPEG 2000 preview (JP2 boxes around the codestream) to its 343×343 pixels", async () => {
    expect(readCodestreamHeader(SENTINEL2_PVI_JP2)).toMatchObject({ width: 343, height: 343, components: 3 });
    const q = await renderQuicklook(SENTINEL2_PVI_JP2);
    expect([q.width, q.height, q.source]).toEqual([343, 343, "jp2"]);
    const img = decodeJpeg(q.jpeg, { useTArray: true });
    // A picture, not a flat fill: the gradient spans a wide range of values.
    const reds = img.data.filter((_, i) => i % 4 === 0);
    expect(reds.reduce((a, b) => Math.max(a, b)) - reds.reduce((a, b) => Math.min(a, b))).toBeGreaterThan(
      100,
    );
  });

  it("re-encodes a JPEG and reads Sentinel-1's generated quick-look PNG", async () => {
    const s1 = await renderQuicklook(syntheticQuicklookPng("S1A_IW_GRDH_1SDV_X"));
    expect([s1.width, s1.height]).toEqual([320, 200]);
    const again = await renderQuicklook(s1.jpeg, { maxSide: 160 });
    expect([again.width, again.height, again.source]).toEqual([160, 100, "jpeg"]);
  });

  it.each([
    ["zeros (a placeholder)", new Uint8Array(4096), /not a PNG, JPEG or JPEG 2000 picture/],
    ["a truncated PNG", syntheticQuicklookPng("x").subarray(0, 200), /PNG picture could not be decoded/],
    ["a JP2 without codestream", SENTINEL2_PVI_JP2.subarray(0, 60), /no jp2c box|SOC and SIZ/],
  ])("refuses %s with a ProductError that says why", async (_, bytes, message) => {
    const err = await renderQuicklook(bytes).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProductError);
    expect((err as Error).message).toMatch(message);
  });
});
