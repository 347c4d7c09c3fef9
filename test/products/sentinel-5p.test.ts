import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ProductError } from "../../shared/errors.ts";
import { openHdf5 } from "../../shared/hdf5/hdf5-file.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { attributesFromNetcdf, type S5pAttributes } from "../../shared/products/sentinel-5p/attributes.ts";
import { bytesReader } from "../../shared/zip/range-reader.ts";
import { findH5py, h5pyTool } from "../hdf5/h5py.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { compareItem, FIXTURES, HAVE_FIXTURES, loadReference } from "./reference.ts";

const DIR = join(FIXTURES, "sentinel-5p");
const files = HAVE_FIXTURES
  ? readdirSync(DIR).filter((n) => /\.(nc|json)$/.test(n) && !n.includes(".reference-"))
  : [];
const netcdf = files.filter((n) => n.endsWith(".nc"));

describe.skipIf(!HAVE_FIXTURES)("Sentinel-5P fixtures", () => {
  it.each(files)("%s", async (file) => {
    const name = file.replace(/\.(nc|json)$/, "");
    const store = new MemoryObjectStore();
    const object = store.put(`s5p/${file}`, readFileSync(join(DIR, file)));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    const { item } = outcome;
    expect(item.id).toBe(name);
    expect(item.collection).toMatch(/^sentinel-5p-l2-[a-z0-9-]+$/);
    const refPath = join(DIR, `${name}.reference-item.json`);
    if (!existsSync(refPath)) return;
    const ref = loadReference(refPath);
    // Documented differences: platform "sentinel-5p" (reference: "Sentinel 5 Precursor"); the O3_TCL
    // reference is a gridded product whose datetime is the midpoint of 6 days, as is ours.
    expect(compareItem(item, ref, { ignore: ["platform", "geometry", "bbox", "geometry.type"] })).toEqual([]);
    // The timeliness class as S5P items write it (NRTI, OFFL, RPRO), not the attribute's "Offline".
    expect(item.properties["s5p:processing_mode"]).toBe(ref.properties["s5p:processing_mode"]);
    expect(["Polygon", "MultiPolygon"]).toContain(item.geometry?.type);
  });

  it("the gridded O3_TCL gets the box of its grid's cells (latitude_ccd/longitude_ccd, 0.5° × 1°)", async () => {
    const file = netcdf.find((n) => n.includes("O3_TCL"))!;
    const store = new MemoryObjectStore();
    const outcome = await readProduct({
      store,
      object: store.put(`s5p/${file}`, readFileSync(join(DIR, file))),
    });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    // Cell centres -19.75…19.75 and -179.5…179.5: edges ±20 and the whole circle of longitude.
    expect(outcome.item.bbox).toEqual([-180, -20, 180, 20]);
    // All round the globe: along each parallel, a vertex every 90° (no edge from -180 straight to 180).
    const lons = [-180, -90, 0, 90, 180];
    expect(outcome.item.geometry).toEqual({
      type: "Polygon",
      coordinates: [[...lons.map((x) => [x, -20]), ...lons.reverse().map((x) => [x, 20]), [-180, -20]]],
    });
  });
});

/** What `ncdump -h` shows for the attributes we index, per fixture (by product type). */
const EXPECTED: Record<string, S5pAttributes & { posListStart?: string }> = {
  CH4: {
    start: "2020-03-03T01:57:22Z",
    end: "2020-03-03T02:55:45Z",
    orbit: 12367,
    processorVersion: "1.3.2",
    productType: "L2__CH4___",
    processingMode: "Offline",
    posListStart: "67.39907 47.267303 67.89448 51.01917 ",
  },
  NO2: {
    start: "2020-03-03T01:57:22Z",
    end: "2020-03-03T02:55:45Z",
    orbit: 12367,
    processorVersion: "1.3.2",
    productType: "L2__NO2___",
    processingMode: "Offline",
    posListStart: "67.30902 46.37023 67.82617 50.089424 ",
  },
  // The gridded O3_TCL product has no orbit, processing mode or footprint attributes, and local times.
  O3_TCL: {
    start: "2020-03-03T12:06:23",
    end: "2020-03-09T12:52:48",
    orbit: undefined,
    processorVersion: "01.01.08",
    productType: "L2__O3_TCL",
    processingMode: undefined,
  },
};

describe.skipIf(!HAVE_FIXTURES)("Sentinel-5P netCDF-4: attributes from the HDF5 metadata only", () => {
  it.each(netcdf)("%s: the indexed attributes", async (file) => {
    const expected = EXPECTED[/^S5P_\w{4}_L2__(\w{6})_/.exec(file)![1]!.replace(/_+$/, "")]!;
    const { posListStart, ...fields } = expected;
    const attrs = await attributesFromNetcdf(await openHdf5(bytesReader(readFileSync(join(DIR, file)))));
    expect(attrs).toMatchObject({ ...fields, id: file.replace(/\.nc$/, "") });
    if (posListStart) expect(attrs.posList?.startsWith(posListStart)).toBe(true);
    else expect(attrs.posList).toBeUndefined();
  });

  it.each(netcdf)("%s: costs a few ranged requests", async (file) => {
    const store = new MemoryObjectStore();
    const object = store.put(`s5p/${file}`, readFileSync(join(DIR, file)));
    expect((await readProduct({ store, object })).kind).toBe("item");
    console.log(`${file}: ${store.stats.requests} requests, ${store.stats.bytes} of ${object.size} bytes`);
    expect(store.stats.byKind).toEqual({ getRange: store.stats.requests });
    expect(store.stats.requests).toBeLessThanOrEqual(4);
    expect(store.stats.bytes).toBeLessThanOrEqual(3 * 64 * 1024);
  });

  it("a truncated file is a ProductError naming the object and the structure", async () => {
    const file = netcdf.find((n) => n.includes("CH4"))!;
    const store = new MemoryObjectStore();
    const object = store.put(`s5p/${file}`, readFileSync(join(DIR, file)).subarray(0, 100_000));
    const read = readProduct({ store, object });
    await expect(read).rejects.toThrow(ProductError);
    await expect(read).rejects.toThrow(
      /^s5p\/S5P_OFFL_L2__CH4.*\.nc: HDF5: .* beyond the end of the 100000-byte file/,
    );
  });
});

describe("a 400 MiB S5P file with its METADATA after the science data", async () => {
  const python = await findH5py();
  it.skipIf(!python)("is indexed with a few small reads around the data, never through it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s5p-large-"));
    const name = "S5P_OFFL_L2__NO2____20200303T013547_20200303T031717_12367_01_010302_20200306T053815.nc";
    const path = join(dir, name);
    const fd = { value: -1 };
    try {
      // h5py writes one byte of the 400 MiB variable, so the file is sparse on disk.
      await h5pyTool(python!, ["make-large", path, String(400 * 1024 * 1024)]);
      const size = statSync(path).size;
      fd.value = openSync(path, "r");
      const ranges: [number, number][] = [];
      const store = new MemoryObjectStore();
      const object = store.putLazy(`s5p/${name}`, size, (start, end) => {
        ranges.push([start, end]);
        const out = new Uint8Array(end - start);
        readSync(fd.value, out, 0, out.length, start);
        return out;
      });
      const outcome = await readProduct({ store, object });
      if (outcome.kind !== "item") throw new Error(outcome.reason);
      console.log(
        `${size}-byte S5P file: ${store.stats.requests} requests, ${store.stats.bytes} bytes`,
        ranges,
      );
      // The footprint group lies after the variable: reaching it proves the reads went around the data.
      expect(outcome.item.geometry?.type).toBe("Polygon");
      expect(ranges.some(([, end]) => end > 400 * 1024 * 1024)).toBe(true);
      expect(outcome.item.properties["s5p:processing_mode"]).toBe("OFFL");
      expect(outcome.item.properties["sat:absolute_orbit"]).toBe(12367);
      expect(store.stats.requests).toBeLessThanOrEqual(4);
      expect(store.stats.bytes).toBeLessThan(256 * 1024);
    } finally {
      if (fd.value >= 0) closeSync(fd.value);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
