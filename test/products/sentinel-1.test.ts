import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFolder, packFolderToZip } from "../../dev/synthetic/pack-fixture.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { MEMBER_FIELD } from "../../shared/products/types.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { compareItem, FIXTURES, HAVE_FIXTURES, loadReference } from "./reference.ts";

const DIR = join(FIXTURES, "sentinel-1");
const products = HAVE_FIXTURES ? readdirSync(DIR).filter((n) => n.endsWith(".SAFE")) : [];

/**
 * The id is the name derived from the manifest (the unique id is its CRC-16). One fixture's folder
 * carries another product's name: the 2014 SLC's folder is named after the intermediate SL1 product the
 * manifest lists as its source (other start/stop, other CRC); its own name is derived.
 */
const DERIVED_ID: Record<string, string> = {
  S1A_IW_SL1__1_SH_20141031T095929_20141031T100002_003072_003842_91FC:
    "S1A_IW_SLC__1SSH_20141031T095931_20141031T095958_003072_003842_3F54",
};

describe.skipIf(!HAVE_FIXTURES)("Sentinel-1 fixtures, zipped", () => {
  it.each(products)("%s", async (safe) => {
    const name = safe.replace(/\.SAFE$/, "");
    const store = new MemoryObjectStore();
    const object = store.put(`${name}.zip`, packFolderToZip(join(DIR, safe)));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    const { item } = outcome;
    expect(item.id).toBe(DERIVED_ID[name] ?? name);
    expect(item.collection).toMatch(/^sentinel-1-(grd|slc)$/);
    const measurements = Object.entries(item.assets).filter(
      ([, a]) => a.roles?.includes("data") && a[MEMBER_FIELD],
    );
    expect(measurements.length).toBeGreaterThan(0);
    const refPath = join(DIR, `${name}.reference-item.json`);
    if (!existsSync(refPath)) return; // no reference item for this product: read it, nothing to compare
    const ref = loadReference(refPath);
    // Documented difference: stactools drops the product's unique id (last token) from the item id.
    expect(name.startsWith(ref.id)).toBe(true);
    // Documented difference: stactools writes proj:epsg 4326 for the footprint's CRS; the SAR raster is in
    // radar geometry, so we do not claim a projection.
    expect(compareItem(item, ref, { ignore: ["proj:code"] })).toEqual([]);
    if (item.properties["sar:product_type"] === "GRD")
      expect(Object.keys(item.assets)).toEqual(expect.arrayContaining(["vv", "vh"]));
  });
});

describe.skipIf(!HAVE_FIXTURES)("Sentinel-1 uploaded unzipped, object by object", () => {
  const safe = products.find((p) => p.includes("GRDH_1SDV_20210809"));
  it.skipIf(!safe)("is read when manifest.safe arrives; other files are skipped", async () => {
    const store = new MemoryObjectStore("b");
    const files = listFolder(join(DIR, safe!));
    for (const f of files) store.put(`up/${safe}/${f}`, readFileSync(join(DIR, safe!, f)));
    const annotation = files.find((f) => f.startsWith("annotation/"))!;
    const skip = await readProduct({ store, object: store.info(`up/${safe}/${annotation}`)! });
    expect(skip.kind).toBe("skip");
    const outcome = await readProduct({ store, object: store.info(`up/${safe}/manifest.safe`)! });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    expect(outcome.item.id).toBe(safe!.replace(".SAFE", ""));
    expect(outcome.item.assets["safe-manifest"]?.href).toBe(`s3://b/up/${safe}/manifest.safe`);
    expect(outcome.item.assets["safe-manifest"]?.["file:checksum"]).toMatch(/^d50110/);
  });
});
