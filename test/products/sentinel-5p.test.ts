import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readProduct } from "../../shared/products/read-product.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { compareItem, FIXTURES, HAVE_FIXTURES, loadReference } from "./reference.ts";

const DIR = join(FIXTURES, "sentinel-5p");
const files = HAVE_FIXTURES
  ? readdirSync(DIR).filter((n) => /\.(nc|json)$/.test(n) && !n.includes(".reference-"))
  : [];

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
    expect(item.geometry === null || ["Polygon", "MultiPolygon"].includes(item.geometry.type)).toBe(true);
  });
});
