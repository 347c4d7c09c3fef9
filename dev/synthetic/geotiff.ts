// A small single-band GeoTIFF in EPSG:4326 (uncompressed, one strip): real raster assets for samples
// and for the tests that let GDAL build mosaics from search results.

export interface GeoTiffOptions {
  width: number;
  height: number;
  /** [west, south, east, north] in degrees. */
  bbox: [number, number, number, number];
  /** Pixel value at (x, y); 8-bit. */
  value?: (x: number, y: number) => number;
}

type Entry = { tag: number; type: 3 | 4 | 12; values: number[] };
const SIZE = { 3: 2, 4: 4, 12: 8 } as const;

export function writeGeoTiff(o: GeoTiffOptions): Uint8Array {
  const [w, s, e, n] = o.bbox;
  const pixels = new Uint8Array(o.width * o.height);
  for (let y = 0; y < o.height; y++)
    for (let x = 0; x < o.width; x++)
      pixels[y * o.width + x] = (o.value ?? ((a, b) => (a + b) % 256))(x, y) & 0xff;
  const entries: Entry[] = [
    { tag: 256, type: 4, values: [o.width] },
    { tag: 257, type: 4, values: [o.height] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [1] },
    { tag: 262, type: 3, values: [1] },
    { tag: 273, type: 4, values: [0] }, // strip offset, patched below
    { tag: 277, type: 3, values: [1] },
    { tag: 278, type: 4, values: [o.height] },
    { tag: 279, type: 4, values: [pixels.length] },
    { tag: 284, type: 3, values: [1] },
    { tag: 339, type: 3, values: [1] },
    { tag: 33550, type: 12, values: [(e - w) / o.width, (n - s) / o.height, 0] },
    { tag: 33922, type: 12, values: [0, 0, 0, w, n, 0] },
    // GeoKeys: geographic model, pixel-is-area, WGS 84.
    { tag: 34735, type: 3, values: [1, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 1, 2048, 0, 1, 4326] },
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const extra = entries.map((x) => x.values.length * SIZE[x.type]).filter((b) => b > 4);
  const extraSize = extra.reduce((a, b) => a + b, 0);
  const dataOffset = 8 + ifdSize + extraSize;
  entries[5]!.values = [dataOffset];
  const out = new Uint8Array(dataOffset + pixels.length);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49]);
  v.setUint16(2, 42, true);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  let extraAt = 8 + ifdSize;
  entries.forEach((x, i) => {
    const at = 10 + i * 12;
    v.setUint16(at, x.tag, true);
    v.setUint16(at + 2, x.type, true);
    v.setUint32(at + 4, x.values.length, true);
    const bytes = x.values.length * SIZE[x.type];
    const target = bytes > 4 ? extraAt : at + 8;
    if (bytes > 4) v.setUint32(at + 8, extraAt, true);
    x.values.forEach((val, k) => {
      const p = target + k * SIZE[x.type];
      if (x.type === 3) v.setUint16(p, val, true);
      else if (x.type === 4) v.setUint32(p, val, true);
      else v.setFloat64(p, val, true);
    });
    if (bytes > 4) extraAt += bytes;
  });
  v.setUint32(10 + entries.length * 12, 0, true);
  out.set(pixels, dataOffset);
  return out;
}
