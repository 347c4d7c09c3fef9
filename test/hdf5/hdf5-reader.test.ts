// The HDF5 metadata reader against h5py (the HDF5 library itself): the real S5P fixtures, then files
// that h5py writes here, one per storage variant the fixtures do not use.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProductError } from "../../shared/errors.ts";
import { type Hdf5File, openHdf5 } from "../../shared/hdf5/hdf5-file.ts";
import { bytesReader, countingReader } from "../../shared/zip/range-reader.ts";
import { FIXTURES, HAVE_FIXTURES } from "../products/reference.ts";
import { compareWithReference, dumpWithH5py, findH5py, h5pyTool, type RefObject } from "./h5py.ts";

const python = await findH5py();
const S5P = join(FIXTURES, "sentinel-5p");
const fixtures = HAVE_FIXTURES ? readdirSync(S5P).filter((n) => n.endsWith(".nc")) : [];

async function open(path: string): Promise<Hdf5File> {
  return openHdf5(bytesReader(readFileSync(path)));
}

async function crossCheck(path: string, reference: Record<string, RefObject>): Promise<Hdf5File> {
  const file = await open(path);
  const { diffs, attributes } = await compareWithReference(file, reference);
  console.log(
    `${path.split("/").at(-1)}: ${Object.keys(reference).length} objects, ${attributes} attributes match h5py;`,
    `variants: ${[...file.features].sort().join(", ")}`,
  );
  expect(diffs).toEqual([]);
  expect(attributes).toBeGreaterThan(0);
  return file;
}

describe.skipIf(!python || !HAVE_FIXTURES)("S5P fixtures read as h5py reads them", () => {
  let reference: Record<string, Record<string, RefObject>> = {};
  beforeAll(async () => {
    reference = await dumpWithH5py(
      python!,
      fixtures.map((f) => join(S5P, f)),
    );
  });

  it.each(fixtures)("%s: every attribute of every group and variable, every member", async (name) => {
    const file = await crossCheck(join(S5P, name), reference[join(S5P, name)]!);
    // What real netCDF-4 S5P files use: superblock 0 with version-2 object headers, creation order
    // tracked, compact links, dense attributes in a fractal heap, variable-length strings.
    expect(file.superblock.version).toBe(0);
    for (const variant of ["object header v2", "compact links", "dense attributes", "v2 B-tree leaf node"]) {
      expect(file.features).toContain(variant);
    }
  });
});

describe.skipIf(!python)("storage variants written by h5py", () => {
  let dir = "";
  let files: Record<string, string> = {};
  let reference: Record<string, Record<string, RefObject>> = {};
  const seen = new Set<string>();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hdf5-variants-"));
    files = JSON.parse(await h5pyTool(python!, ["make", dir])).files;
    reference = await dumpWithH5py(python!, Object.values(files));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, number][] = [
    ["v0-earliest.h5", 0],
    ["v1-superblock.h5", 1],
    ["v2-superblock.h5", 2],
    ["v3-latest.h5", 3],
    ["userblock.h5", 3],
  ];
  it.each(cases)("%s (superblock %i) matches h5py", async (name, version) => {
    const file = await crossCheck(files[name]!, reference[files[name]!]!);
    expect(file.superblock.version).toBe(version);
    for (const f of file.features) seen.add(f);
  });

  it("follows soft links, relative and absolute, and names a soft-link loop", async () => {
    const file = await open(files["v0-earliest.h5"]!);
    expect(await file.attributes("/soft_to_c", ["deep"])).toMatchObject([{ value: "yes" }]);
    expect(await file.attributes("/a/relative", ["deep"])).toMatchObject([{ value: "yes" }]);
    expect(await file.attributes("/a/./b//c", ["deep"])).toMatchObject([{ value: "yes" }]);
    expect(await file.attributes("/a/missing")).toBeUndefined();
    await expect(file.attributes("/loop1")).rejects.toThrow(/path "\/loop1" needs more than 64 steps/);
  });

  it("finds one link among 8000 in dense storage by its name hash, reading a fraction of the file", async () => {
    const bytes = readFileSync(files["v3-latest.h5"]!);
    const reader = countingReader(bytesReader(bytes));
    const file = await openHdf5(reader, { blockSize: 4096 });
    const name = `link_07999_${"n".repeat(100)}`;
    expect(await file.exists(`/big/${name}`)).toBe(true);
    expect(await file.exists(`/big/link_08000_${"n".repeat(100)}`)).toBe(false);
    console.log(
      `one dense link of 8000: ${reader.stats.requests} requests, ${reader.stats.bytes} of ${bytes.length} bytes`,
    );
    expect(reader.stats.bytes).toBeLessThan(bytes.length / 10);
  });

  it("decodes the huge attribute of a dense heap and big-endian, 64-bit and empty values", async () => {
    const file = await open(files["v3-latest.h5"]!);
    const [text] = (await file.attributes("/dense_attributes", ["huge_text"]))!;
    expect(text!.value).toBe("0123456789".repeat(1000));
    const byName = Object.fromEntries((await file.attributes("/"))!.map((a) => [a.name, a]));
    expect(byName["uint64_be"]!.value).toBe(2n ** 64n - 2n);
    expect(byName["int16_be"]!.value).toBe(-12345);
    expect(byName["empty_float"]).toMatchObject({ value: null, shape: null });
    expect(byName["compound"]).toMatchObject({ value: undefined, type: "compound" });
  });

  it("has exercised every variant the reader claims", () => {
    // Each of these must have been met while reading the files above (the fixtures add nothing new).
    const claimed = [
      "superblock v0",
      "superblock v1",
      "superblock v2",
      "superblock v3",
      "user block",
      "object header v1",
      "object header v2",
      "object header continuation",
      "object header times",
      "attribute creation order",
      "symbol table group",
      "v1 B-tree internal node",
      "v1 B-tree leaf node",
      "compact links",
      "dense links",
      "compact attributes",
      "dense attributes",
      "fractal heap root direct block",
      "fractal heap indirect block",
      "fractal heap nested indirect block",
      "huge heap object",
      "v2 B-tree leaf node",
      "v2 B-tree internal node (depth 1)",
      "v2 B-tree internal node (depth 2)",
      "global heap",
      "committed datatype",
      "soft link",
    ];
    expect(claimed.filter((c) => !seen.has(c))).toEqual([]);
  });

  it("reports a file that is not HDF5 as a ProductError", async () => {
    await expect(openHdf5(bytesReader(new TextEncoder().encode("CDF\u0001 classic netCDF")))).rejects.toThrow(
      ProductError,
    );
  });
});
