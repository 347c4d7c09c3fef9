import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listFolder } from "../../dev/synthetic/pack-fixture.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { writeTar } from "../../shared/zip/tar-reader.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { compareItem, FIXTURES, HAVE_FIXTURES, loadReference } from "./reference.ts";

const DIR = join(FIXTURES, "landsat");
const scenes = HAVE_FIXTURES ? readdirSync(DIR).filter((n) => !n.endsWith(".json")) : [];

function compare(scene: string, item: Parameters<typeof compareItem>[0]) {
  const refPath = join(DIR, `${scene}.reference-item.json`);
  if (!existsSync(refPath)) return;
  const ref = loadReference(refPath);
  // Documented differences: stactools drops the processing date from the id; footprints are compared
  // by area on the sphere in test/geo/golden-footprints.test.ts (ours: the ANG file's valid-data corners
  // on the product grid; the reference: USGS's, a little inside them), not vertex by vertex.
  expect(ref.id).toBe(scene.replace(/_(\d{8})_(\d{2}_T\d)$/, "_$2"));
  expect(compareItem(item, ref, { geometryTolerance: 0.25, ignore: ["geometry"] })).toEqual([]);
}

describe.skipIf(!HAVE_FIXTURES)("Landsat C2 fixtures", () => {
  it.each(scenes)("%s as a tar", async (scene) => {
    const files = listFolder(join(DIR, scene)).filter((f) => !f.endsWith("_stac.json"));
    const store = new MemoryObjectStore();
    const object = store.put(
      `${scene}.tar`,
      writeTar(files.map((f) => ({ name: f, data: readFileSync(join(DIR, scene, f)) }))),
    );
    const outcome = await readProduct({ store, object });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    expect(outcome.item.id).toBe(scene);
    expect(outcome.item.collection).toBe("landsat-c2-l2");
    compare(scene, outcome.item);
  });

  it.each(scenes)("%s as objects in a folder, read from its MTL", async (scene) => {
    const store = new MemoryObjectStore();
    const files = listFolder(join(DIR, scene));
    for (const f of files) store.put(`landsat/${scene}/${f}`, readFileSync(join(DIR, scene, f)));
    const ang = files.find((f) => f.endsWith("_ANG.txt"));
    if (ang)
      expect((await readProduct({ store, object: store.info(`landsat/${scene}/${ang}`)! })).kind).toBe(
        "skip",
      );
    const mtl = files.find((f) => /_MTL\.(json|xml|txt)$/.test(f))!;
    const outcome = await readProduct({ store, object: store.info(`landsat/${scene}/${mtl}`)! });
    if (outcome.kind !== "item") throw new Error(outcome.reason);
    expect(outcome.item.id).toBe(scene);
    compare(scene, outcome.item);
  });
});
