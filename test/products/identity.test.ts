// A product's identity comes from its own metadata, never from the object key or folder name; and a
// Sentinel-2 SAFE without manifest.safe, zipped or uploaded as a folder, is read from MTD_MSIL*.xml and
// its tile metadata.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFolder } from "../../dev/synthetic/pack-fixture.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { crc16 } from "../../shared/products/sentinel-1/product-name.ts";
import { planToBytes, planZip } from "../../shared/zip/index.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { FIXTURES, HAVE_FIXTURES } from "./reference.ts";

/** A fixture folder zipped under another root folder name, optionally leaving files out. */
function zipAs(dir: string, root: string, leaveOut: (path: string) => boolean = () => false): Uint8Array {
  const files = listFolder(dir).filter((f) => !leaveOut(f));
  return planToBytes(planZip(files.map((f) => ({ name: `${root}/${f}`, data: readFileSync(join(dir, f)) }))));
}

async function read(key: string, bytes: Uint8Array) {
  const store = new MemoryObjectStore();
  const outcome = await readProduct({ store, object: store.put(key, bytes) });
  if (outcome.kind !== "item") throw new Error(outcome.reason);
  return outcome.item;
}

/** A fixture folder uploaded object by object under `prefix`; returns the store. */
function putFolder(dir: string, prefix: string, leaveOut: (path: string) => boolean = () => false) {
  const store = new MemoryObjectStore("b");
  for (const f of listFolder(dir).filter((f) => !leaveOut(f)))
    store.put(`${prefix}${f}`, readFileSync(join(dir, f)));
  return store;
}

async function readKey(store: MemoryObjectStore, key: string) {
  const outcome = await readProduct({ store, object: store.info(key)! });
  if (outcome.kind !== "item") throw new Error(outcome.reason);
  return outcome.item;
}

const S2 = "S2A_MSIL1C_20200717T221941_N0209_R029_T01LAC_20200717T234135";
const S1 = [
  "S1A_IW_GRDH_1SDV_20210809T173953_20210809T174018_039156_049F13_6FF8",
  "S1A_IW_GRDH_1SDV_20200103T233556_20200103T233621_030643_0382F7_C795",
  "S1A_IW_SLC__1SDH_20220414T102209_20220414T102236_042768_051AA4_E677",
];
const S3 = "S3A_OL_2_LFR____20210523T003029_20210523T003329_20210524T050403_0179_072_102_1980_LN1_O_NT_002";

describe.skipIf(!HAVE_FIXTURES)("identity from the product's metadata", () => {
  it("a Sentinel-2 zip whose file and folder were renamed keeps its PRODUCT_URI id and tile", async () => {
    const dir = join(FIXTURES, "sentinel-2", `${S2}.SAFE`);
    const item = await read(
      "uploads/download(3).zip",
      zipAs(dir, "S2A_MSIL1C_20990101T000000_N9999_R001_T60XYZ_x.SAFE"),
    );
    expect(item.id).toBe(S2);
    expect(item.properties["grid:code"]).toBe("MGRS-01LAC");
    expect(item.collection).toBe("sentinel-2-l1c");
  });

  it("a Sentinel-2 SAFE without manifest.safe is read from MTD_MSIL1C.xml and MTD_TL.xml", async () => {
    const dir = join(FIXTURES, "sentinel-2", `${S2}.SAFE`);
    const item = await read(
      "in/product.zip",
      zipAs(dir, "product", (f) => f === "manifest.safe"),
    );
    expect(item.id).toBe(S2);
    // From the tile id (…_A026481_…) instead of the manifest's orbitNumber.
    expect(item.properties["sat:absolute_orbit"]).toBe(26481);
    expect(item.properties["proj:code"]).toBe("EPSG:32701");
    expect(item.assets["safe_manifest"]).toBeUndefined();
    expect(item.assets["product_metadata"]).toBeDefined();
  });

  it.each(S1)("a Sentinel-1 zip whose file and folder were renamed keeps its name: %s", async (name) => {
    const dir = join(FIXTURES, "sentinel-1", `${name}.SAFE`);
    const item = await read("uploads/scene.zip", zipAs(dir, "S1A_IW_GRDH_1SDV_20990101T000000_x.SAFE"));
    expect(item.id).toBe(name);
  });

  it("a Sentinel-1 folder with another name keeps its name (read when manifest.safe arrives)", async () => {
    const name = S1[0]!;
    const store = putFolder(join(FIXTURES, "sentinel-1", `${name}.SAFE`), "up/my-scene/");
    const annotation = listFolder(join(FIXTURES, "sentinel-1", `${name}.SAFE`)).find((f) =>
      f.startsWith("annotation/"),
    )!;
    const skipped = await readProduct({ store, object: store.info(`up/my-scene/${annotation}`)! });
    expect(skipped.kind).toBe("skip");
    const item = await readKey(store, "up/my-scene/manifest.safe");
    expect(item.id).toBe(name);
    expect(item.properties["sar:product_type"]).toBe("GRD");
  });

  it("a Sentinel-1 folder without its annotations is told by its manifest", async () => {
    const name = S1[1]!;
    const store = putFolder(join(FIXTURES, "sentinel-1", `${name}.SAFE`), "x/renamed/");
    expect((await readKey(store, "x/renamed/manifest.safe")).id).toBe(name);
  });

  it("a Sentinel-2 folder without manifest.safe is read when MTD_MSIL1C.xml arrives", async () => {
    const dir = join(FIXTURES, "sentinel-2", `${S2}.SAFE`);
    const store = putFolder(dir, "in/tile-folder/", (f) => f === "manifest.safe");
    const tile = listFolder(dir).find((f) => /^GRANULE\/[^/]+\/MTD_TL\.xml$/.test(f))!;
    const skipped = await readProduct({ store, object: store.info(`in/tile-folder/${tile}`)! });
    expect(skipped.kind).toBe("skip");
    const item = await readKey(store, "in/tile-folder/MTD_MSIL1C.xml");
    expect(item.id).toBe(S2);
    expect(item.properties["sat:absolute_orbit"]).toBe(26481);
    expect(item.properties["proj:code"]).toBe("EPSG:32701");
    expect(item.assets["safe_manifest"]).toBeUndefined();
    expect(item.assets["product_metadata"]?.href).toBe("s3://b/in/tile-folder/MTD_MSIL1C.xml");
    expect(item.assets["granule_metadata"]?.href).toBe(`s3://b/in/tile-folder/${tile}`);
  });

  it("a Sentinel-3 folder with another name keeps the manifest's productName", async () => {
    const store = putFolder(join(FIXTURES, "sentinel-3", `${S3}.SEN3`), "olci/latest/");
    expect((await readKey(store, "olci/latest/xfdumanifest.xml")).id).toBe(S3);
  });

  it("a Sentinel-3 zip with a renamed folder keeps the manifest's productName", async () => {
    const dir = join(FIXTURES, "sentinel-3", `${S3}.SEN3`);
    const item = await read("x/renamed.zip", zipAs(dir, "renamed.SEN3"));
    expect(item.id).toBe(S3);
  });
});

describe("the Sentinel-1 unique id", () => {
  it("is CRC-16/CCITT-FALSE (the catalogue's check value for 123456789 is 29B1)", () => {
    expect(crc16(new TextEncoder().encode("123456789"))).toBe(0x29b1);
  });
});
