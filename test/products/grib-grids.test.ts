// Grid extents of GRIB files (lat/lon, regular and reduced Gaussian; longitudes 0..360 or -180..180),
// built here from the WMO section layouts and, where eccodes is installed, checked against its reading of
// the same files and of its own sample messages.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { gribFileBytes } from "../../dev/synthetic/grib.ts";
import type { GribGrid, GribMessageSpec } from "../../dev/synthetic/grib-message.ts";
import { type GribMessage, walkGrib } from "../../shared/products/grib/grib-messages.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { bytesReader } from "../../shared/zip/range-reader.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";

const run = promisify(execFile);

async function itemOf(bytes: Uint8Array): Promise<StacItem> {
  const store = new MemoryObjectStore();
  const outcome = await readProduct({ store, object: store.put("era5/test.grib", bytes) });
  if (outcome.kind !== "item") throw new Error(outcome.reason);
  return outcome.item;
}

const at = (edition: 1 | 2, grid: GribGrid, time = "2024-03-01T00:00Z"): GribMessageSpec => ({
  edition,
  time,
  grid,
  bitsPerValue: 8,
});
const N320 = { type: "reduced_gg", n: 320 } as const;
const N48 = { type: "regular_gg", n: 48 } as const;
const EUROPE = { type: "regular_ll", la1: 75, lo1: 320, la2: 15, lo2: 75, di: 0.25, dj: 0.25 } as const;
const FIJI = { type: "regular_ll", la1: -10, lo1: 170, la2: -25, lo2: 190, di: 0.5, dj: 0.5 } as const;

describe("GRIB grid extents", () => {
  // The first Gaussian latitude of N320 is 89.784877° (eccodes: 89.785 in GRIB1 millidegrees).
  it.each([
    [1, 89.785],
    [2, 89.784877],
  ] as const)("ERA5's reduced Gaussian N320 in GRIB%i is the whole globe", async (edition, lat) => {
    const item = await itemOf(gribFileBytes([at(edition, N320)]));
    expect(item.bbox).toEqual([-180, -lat, 180, lat]);
  });

  it.each([1, 2] as const)("a regular Gaussian N48 grid 0..358.125 is global (GRIB%i)", async (edition) => {
    const item = await itemOf(gribFileBytes([at(edition, N48)]));
    expect(item.bbox?.[0]).toBe(-180);
    expect(item.bbox?.[2]).toBe(180);
  });

  it.each([1, 2] as const)("longitudes 320..75 (0..360) are -40..75 (GRIB%i)", async (edition) => {
    const item = await itemOf(gribFileBytes([at(edition, EUROPE)]));
    expect(item.bbox).toEqual([-40, 15, 75, 75]);
    expect(item.geometry?.type).toBe("Polygon");
  });

  it("a 10° grid 0..350 closes round the globe with its last step", async () => {
    const grid = { type: "regular_ll", la1: 90, lo1: 0, la2: -90, lo2: 350, di: 10, dj: 10 } as const;
    expect((await itemOf(gribFileBytes([at(1, grid)]))).bbox).toEqual([-180, -90, 180, 90]);
    const short = { ...grid, lo2: 340 };
    expect((await itemOf(gribFileBytes([at(1, short)]))).bbox).toEqual([0, -90, -20, 90]);
  });

  it("a grid over the antimeridian (170..190) crosses it in the bbox and is cut in the geometry", async () => {
    const item = await itemOf(gribFileBytes([at(2, FIJI)]));
    expect(item.bbox).toEqual([170, -25, -170, -10]);
    expect(item.geometry?.type).toBe("MultiPolygon");
  });

  it("grids on both sides of the antimeridian: the box leaves out the widest gap", async () => {
    const west = { type: "regular_ll", la1: 10, lo1: 160, la2: 0, lo2: 170, di: 1, dj: 1 } as const;
    const east = { ...west, lo1: -170, lo2: -160 };
    expect((await itemOf(gribFileBytes([at(1, west), at(1, east)]))).bbox).toEqual([160, 0, -160, 10]);
    const far = { ...west, lo1: 20, lo2: 30 };
    expect((await itemOf(gribFileBytes([at(1, west), at(1, far)]))).bbox).toEqual([20, 0, 170, 10]);
  });
});

const HAVE_ECCODES = (process.env["PATH"] ?? "")
  .split(delimiter)
  .some((dir) => existsSync(join(dir, "grib_get")));
if (!HAVE_ECCODES)
  console.warn("eccodes cross-checks skipped: grib_get not found (apt-get install libeccodes-tools)");

const KEYS = [
  "validityDate",
  "validityTime",
  "iScansNegatively",
  "latitudeOfFirstGridPointInDegrees",
  "longitudeOfFirstGridPointInDegrees",
  "latitudeOfLastGridPointInDegrees",
  "longitudeOfLastGridPointInDegrees",
];

/** What eccodes reads from every message of a file: valid time and the grid's corner points. */
async function eccodesMessages(file: string) {
  const { stdout } = await run("grib_get", ["-F", "%.6f", "-p", KEYS.join(","), file]);
  return stdout
    .trim()
    .split("\n")
    .map((line) => {
      const [date, time, negative, la1, lo1, la2, lo2] = line.trim().split(/\s+/);
      const hhmm = time!.padStart(4, "0");
      const iso = `${date!.slice(0, 4)}-${date!.slice(4, 6)}-${date!.slice(6, 8)}T${hhmm.slice(0, 2)}:${hhmm.slice(2)}:00Z`;
      const [w, e] = negative === "1" ? [lo2, lo1] : [lo1, lo2];
      const lats = [Number(la1), Number(la2)];
      return { validTime: iso, extent: [Number(w), Math.min(...lats), Number(e), Math.max(...lats)] };
    });
}

function expectSame(ours: GribMessage[], theirs: Awaited<ReturnType<typeof eccodesMessages>>) {
  expect(ours).toHaveLength(theirs.length);
  for (const [i, m] of ours.entries()) {
    expect(m.validTime).toBe(theirs[i]!.validTime);
    expect(m.extent).toBeDefined();
    m.extent!.forEach((v, j) => {
      expect(v).toBeCloseTo(theirs[i]!.extent[j]!, 4);
    });
  }
}

describe.skipIf(!HAVE_ECCODES)("GRIB headers as eccodes reads them", () => {
  it("generated messages of every grid kind, both editions", async () => {
    const specs: GribMessageSpec[] = [1, 2].flatMap((e) => {
      const edition = e as 1 | 2;
      return [
        at(edition, N320, "2024-03-01T00:00Z"),
        { ...at(edition, N48, "2024-03-01T06:00Z"), stepHours: 3 },
        at(edition, EUROPE, "2024-03-02T12:00Z"),
        { ...at(edition, FIJI, "2024-03-02T12:00Z"), bitsPerValue: 0 },
      ];
    });
    const file = join(mkdtempSync(join(tmpdir(), "grib-")), "mixed.grib");
    writeFileSync(file, gribFileBytes(specs));
    const ours = await walkGrib(bytesReader(readFileSync(file)));
    expectSame(ours, await eccodesMessages(file));
    expect(ours[1]!.validTime).toBe("2024-03-01T09:00:00Z");
  });

  it("eccodes' own sample messages (lat/lon, regular and reduced Gaussian, N32 to N2000)", async () => {
    const { stdout } = await run("codes_info", ["-s"]);
    const dir = stdout.trim();
    const samples = readdirSync(dir).filter((n) =>
      /^(regular_(ll|gg)|reduced_gg|gg_sfc|GRIB[12]\.).*tmpl$/.test(n),
    );
    expect(samples.length).toBeGreaterThan(20);
    // All of them in one file: messages of many lengths, which the predicted walk must not trip over.
    const file = join(mkdtempSync(join(tmpdir(), "grib-")), "samples.grib");
    writeFileSync(file, Buffer.concat(samples.sort().map((n) => readFileSync(join(dir, n)))));
    const ours = await walkGrib(bytesReader(readFileSync(file)));
    expectSame(ours, await eccodesMessages(file));
    // Every Gaussian sample is a global grid.
    const gaussian = samples.filter((n) => /gg/.test(n)).length;
    expect(ours.filter((m) => m.global).length).toBeGreaterThanOrEqual(gaussian);
  });
});
