import { describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/index.ts";
import { ProductError } from "../../shared/errors.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import type { ReadOutcome } from "../../shared/products/types.ts";
import { planToBytes, planZip, readPlanRange, type ZipInput } from "../../shared/zip/index.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";

async function read(key: string, body: Uint8Array | string): Promise<ReadOutcome> {
  const store = new MemoryObjectStore();
  return readProduct({ store, object: store.put(key, body) });
}

async function failure(key: string, body: Uint8Array | string): Promise<ProductError> {
  const err = await read(key, body).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProductError);
  return err as ProductError;
}

const NAME = "S2A_MSIL2A_20240501T103021_N0510_R051_T31UDQ_20240501T124721";
const zip = (inputs: ZipInput[]) => planToBytes(planZip(inputs));

describe("products that cannot be indexed fail with a ProductError that says why", () => {
  it("corrupt zip", async () => {
    const good = generateSentinel2Product().bytes.slice();
    const cd = Buffer.from(good).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    good.fill(0x41, cd - 4000, cd + 10); // garble the tail of the last members and a directory header
    expect((await failure(`${NAME}.SAFE.zip`, good)).message).toMatch(/corrupt zip/);
  });

  it("truncated zip", async () => {
    const good = generateSentinel2Product().bytes;
    const err = await failure(`${NAME}.SAFE.zip`, good.subarray(0, Math.floor(good.length / 2)));
    expect(err.message).toMatch(/truncated zip/);
  });

  it("missing manifest (Sentinel-1: nothing else holds its metadata)", async () => {
    const s1 = "S1A_IW_GRDH_1SDV_20210809T173953_20210809T174018_039156_049F13_6FF8";
    const bytes = zip([{ name: `${s1}.SAFE/annotation/s1a-iw-grd-vv-x.xml`, data: "<a/>" }]);
    expect((await failure(`${s1}.SAFE.zip`, bytes)).message).toMatch(/missing manifest\.safe/);
  });

  it("Sentinel-2 without manifest.safe: what its product metadata lacks is named", async () => {
    const bytes = zip([{ name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" }]);
    expect((await failure(`${NAME}.SAFE.zip`, bytes)).message).toMatch(/MTD_MSIL2A\.xml.*EXT_POS_LIST/);
  });

  it("unknown format", async () => {
    expect((await failure("incoming/readme.dat", "hello")).message).toMatch(
      /unknown product format: readme\.dat/,
    );
    const bytes = zip([{ name: "photos/cat.jpg", data: "meow" }]);
    expect((await failure("incoming/holiday.zip", bytes)).message).toMatch(/unknown product format/);
  });

  it("malformed XML", async () => {
    const bytes = zip([
      { name: `${NAME}.SAFE/manifest.safe`, data: "<xfdu:XFDU><unclosed></xfdu:XFDU>" },
      { name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" },
    ]);
    expect((await failure(`${NAME}.SAFE.zip`, bytes)).message).toMatch(/malformed XML in manifest\.safe/);
  });

  it("zip bomb", async () => {
    const bytes = zip([
      { name: `${NAME}.SAFE/manifest.safe`, data: new Uint8Array(20 * 1024 * 1024) },
      { name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" },
    ]);
    expect((await failure(`${NAME}.SAFE.zip`, bytes)).message).toMatch(
      /manifest\.safe looks like a zip bomb/,
    );
  });

  it("absurdly large member", async () => {
    const plan = planZip([
      { name: `${NAME}.SAFE/manifest.safe`, zeros: 3 * 1024 ** 3 },
      { name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" },
    ]);
    const store = new MemoryObjectStore();
    const object = store.putLazy(`${NAME}.SAFE.zip`, plan.size, (s, e) => readPlanRange(plan, s, e));
    const err = await readProduct({ store, object }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProductError);
    expect((err as Error).message).toMatch(
      /manifest\.safe is 3221225472 bytes, more than the 52428800 allowed/,
    );
  });

  it("invalid sidecar", async () => {
    const base = {
      type: "Feature",
      stac_version: "1.1.0",
      id: "x",
      geometry: null,
      properties: { datetime: "2024-01-01T00:00:00Z" },
      assets: {},
      links: [],
    };
    const bad = async (patch: object) =>
      (await failure("a/x.stac.json", JSON.stringify({ ...base, ...patch }))).message;
    expect(await bad({ type: "FeatureCollection" })).toMatch(/type must be "Feature"/);
    expect(await bad({ id: "" })).toMatch(/id must be a non-empty string/);
    expect(await bad({ properties: { datetime: null } })).toMatch(/properties\.datetime/);
    expect(await bad({ properties: { datetime: "yesterday" } })).toMatch(
      /properties\.datetime is not an RFC 3339/,
    );
    expect(await bad({ geometry: { type: "Polygon", coordinates: [] } })).toMatch(/bbox must be/);
    expect(await bad({ assets: { data: { href: "../../../x.tif" } } })).toMatch(
      /leaves the sidecar's folder 'a\/'/,
    );
    expect(await bad({ assets: { data: {} } })).toMatch(/assets\.data\.href/);
    expect((await failure("a/x.stac.json", "{not json")).message).toMatch(/not JSON/);
  });
});
