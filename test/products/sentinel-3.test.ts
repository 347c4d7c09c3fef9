import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packFolderToZip } from "../../dev/synthetic/pack-fixture.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { compareItem, FIXTURES, HAVE_FIXTURES, loadReference } from "./reference.ts";

const DIR = join(FIXTURES, "sentinel-3");
const products = HAVE_FIXTURES ? readdirSync(DIR).filter((n) => n.endsWith(".SEN3")) : [];

describe.skipIf(!HAVE_FIXTURES)("Sentinel-3 fixtures, zipped", () => {
  it.each(products)("%s", async (sen3) => {
    const name = sen3.replace(/\.SEN3$/, "");
    const store = new MemoryObjectStore();
    const object = store.put(`${name}.SEN3.zip`, packFolderToZip(join(DIR, sen3)));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    const { item } = outcome;
    expect(item.id).toBe(name);
    expect(item.collection).toMatch(/^sentinel-3-(olci|slstr|sral|synergy)-[a-z]+$/);
    const refPath = join(DIR, `${name}.reference-item.json`);
    if (!existsSync(refPath)) return;
    const ref = loadReference(refPath);
    // Footprints are compared by area on the sphere in test/geo/golden-footprints.test.ts: ours gains
    // points along the great circle where a long edge near a pole would stray from it on the plane.
    expect(compareItem(item, ref, { ignore: ["geometry"] })).toEqual([]);
  });

  const zipName = HAVE_FIXTURES ? readdirSync(DIR).find((n) => n.endsWith(".zip")) : undefined;
  it.skipIf(!zipName)("a real SEN3 zip, against its DHuS OpenSearch entry", async () => {
    const name = zipName!.replace(/\.zip$/, "");
    const store = new MemoryObjectStore();
    const object = store.put(zipName!, readFileSync(join(DIR, zipName!)));
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    const entry = JSON.parse(readFileSync(join(DIR, `${name}.reference-dhus-opensearch.json`), "utf8")).feed
      .entry;
    const dates = Object.fromEntries(
      [entry.date].flat().map((d: { name: string; content: string }) => [d.name, d.content]),
    );
    expect(outcome.item.id).toBe(name);
    expect(Date.parse(outcome.item.properties["start_datetime"] as string)).toBe(
      Date.parse(dates["beginposition"]!),
    );
    expect(Date.parse(outcome.item.properties["end_datetime"] as string)).toBe(
      Date.parse(dates["endposition"]!),
    );
    expect(outcome.item.assets["measurement"]?.type).toBe("application/x-netcdf");
    expect(store.stats.requests).toBeLessThanOrEqual(3);
  });
});
