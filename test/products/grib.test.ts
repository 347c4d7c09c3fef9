import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readProduct } from "../../shared/products/read-product.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { FIXTURES, HAVE_FIXTURES } from "./reference.ts";

const DIR = join(FIXTURES, "era5-grib");
const files = HAVE_FIXTURES ? readdirSync(DIR).filter((n) => n.endsWith(".grib")) : [];

describe.skipIf(!HAVE_FIXTURES)(
  "GRIB fixtures (no reference items: checked against the cfgrib sample contents)",
  () => {
    it.each(files)("%s", async (file) => {
      const store = new MemoryObjectStore();
      const outcome = await readProduct({
        store,
        object: store.put(`era5/${file}`, readFileSync(join(DIR, file))),
      });
      if (outcome.kind !== "item") throw new Error(outcome.reason);
      const { item } = outcome;
      console.info(file, JSON.stringify({ bbox: item.bbox, ...item.properties }));
      expect(item.collection).toBe("ecmwf-grib");
      expect(Date.parse(item.properties["start_datetime"] as string)).toBeLessThanOrEqual(
        Date.parse(item.properties["end_datetime"] as string),
      );
      expect(item.bbox?.length).toBe(4);
      expect(item.properties["grib:message_count"]).toBeGreaterThan(0);
    });
  },
);
