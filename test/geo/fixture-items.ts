// Every fixture product with its reference item: each read the way ingest reads it (zips for SAFE/SEN3,
// objects in a folder for Landsat, the file itself for Sentinel-5P).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { listFolder, packFolderToZip } from "../../dev/synthetic/pack-fixture.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { FIXTURES, HAVE_FIXTURES, loadReference } from "../products/reference.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";

export interface FixtureCase {
  mission: string;
  name: string;
  read: () => Promise<StacItem>;
  /** Reference items for the same product (stactools/USGS/CDSE), when there are any. */
  references: { source: string; item: StacItem }[];
}

async function itemOf(store: MemoryObjectStore, key: string): Promise<StacItem> {
  const outcome = await readProduct({ store, object: store.info(key)! });
  if (outcome.kind !== "item") throw new Error(`${key}: ${outcome.reason}`);
  return outcome.item;
}

export function fixtureCases(): FixtureCase[] {
  if (!HAVE_FIXTURES) return [];
  const out: FixtureCase[] = [];
  const ref = (dir: string, name: string) => {
    const p = join(dir, `${name}.reference-item.json`);
    return existsSync(p) ? [{ source: "reference-item", item: loadReference(p) }] : [];
  };
  for (const mission of ["sentinel-1", "sentinel-2", "sentinel-3"]) {
    const dir = join(FIXTURES, mission);
    for (const folder of readdirSync(dir).filter((n) => /\.(SAFE|SEN3)$/.test(n))) {
      const name = folder.replace(/\.(SAFE|SEN3)$/, "");
      out.push({
        mission,
        name,
        references: ref(dir, name),
        read: async () => {
          const store = new MemoryObjectStore();
          store.put(`${folder}.zip`, packFolderToZip(join(dir, folder)));
          return itemOf(store, `${folder}.zip`);
        },
      });
    }
  }
  const s5p = join(FIXTURES, "sentinel-5p");
  for (const file of readdirSync(s5p).filter((n) => /\.(nc|json)$/.test(n) && !n.includes(".reference-"))) {
    const name = file.replace(/\.(nc|json)$/, "");
    out.push({
      mission: "sentinel-5p",
      name: file,
      references: ref(s5p, name),
      read: async () => {
        const store = new MemoryObjectStore();
        store.put(`s5p/${file}`, readFileSync(join(s5p, file)));
        return itemOf(store, `s5p/${file}`);
      },
    });
  }
  const landsat = join(FIXTURES, "landsat");
  for (const scene of readdirSync(landsat).filter((n) => !n.endsWith(".json"))) {
    const files = listFolder(join(landsat, scene));
    const usgs = files
      .filter((f) => f.endsWith("_stac.json"))
      .map((f) => ({
        source: f.replace(/^.*_(\w\w)_stac\.json$/, "USGS $1"),
        item: loadReference(join(landsat, scene, f)),
      }));
    const mtl = files.find((f) => /_MTL\.xml$/.test(f))!;
    out.push({
      mission: "landsat",
      name: scene,
      references: [...ref(landsat, scene), ...usgs],
      read: async () => {
        const store = new MemoryObjectStore();
        // As a scene lies in a bucket, without the USGS items (those are the references here).
        for (const f of files.filter((f) => !f.endsWith("_stac.json")))
          store.put(`landsat/${scene}/${f}`, readFileSync(join(landsat, scene, f)));
        return itemOf(store, `landsat/${scene}/${mtl}`);
      },
    });
  }
  return out;
}
