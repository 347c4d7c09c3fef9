import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packFolderToZip } from "../../dev/synthetic/pack-fixture.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { MEMBER_FIELD, type ZipMemberRef } from "../../shared/products/types.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { compareItem, FIXTURES, HAVE_FIXTURES, loadReference } from "./reference.ts";

const DIR = join(FIXTURES, "sentinel-2");
const products = HAVE_FIXTURES ? readdirSync(DIR).filter((n) => n.endsWith(".SAFE")) : [];

describe.skipIf(!HAVE_FIXTURES)("Sentinel-2 fixtures, zipped, against their reference items", () => {
  it.each(products)("%s", async (safe) => {
    const name = safe.replace(/\.SAFE$/, "");
    const store = new MemoryObjectStore();
    const object = store.put(`incoming/${name}.SAFE.zip`, packFolderToZip(join(DIR, safe)));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(`expected an item, got a skip: ${outcome.reason}`);
    const item = outcome.item;
    const ref = loadReference(join(DIR, `${name}.reference-item.json`));
    // Documented difference: our id is the product name (as ESA/CDSE identify it); stactools shortens it.
    expect(item.id).toBe(name);
    expect(ref.id).not.toBe(name);
    expect(compareItem(item, ref)).toEqual([]);
    expect(item.collection).toBe(name.includes("MSIL1C") ? "sentinel-2-l1c" : "sentinel-2-l2a");

    const product = item.assets["product"]!;
    expect(product.href).toBe(`s3://test-bucket/incoming/${name}.SAFE.zip`);
    expect(product["file:size"]).toBe(object.size);
    expect(product["file:checksum"]).toMatch(/^d50110[0-9a-f]{32}$/);
    const red = item.assets["B04"]!;
    expect(red.href).toBe(product.href);
    const member = red[MEMBER_FIELD] as ZipMemberRef;
    expect(member.path).toMatch(new RegExp(`^${safe}/GRANULE/.*_B04(_10m)?\\.(jp2|tif)$`));
    expect(item.assets["safe_manifest"]?.roles).toEqual(["metadata"]);
    expect(item.assets["thumbnail"]?.roles).toEqual(["thumbnail"]);
    // Read where it lies: tail + metadata members, never the whole archive.
    expect(store.stats.requests).toBeLessThanOrEqual(5);
  });
});
