// What write-time schema checks cost in one process: the first check of an item declaring eo and
// projection (loading ajv and the vendored schemas, compiling the three it needs) and the next ones.
// Run: npx tsx dev/bench/schema-check-time.ts
import { requireItemSchemas } from "../../shared/stac/item-schemas.ts";
import type { StacItem } from "../../shared/stac/types.ts";

const item: StacItem = {
  type: "Feature",
  stac_version: "1.1.0",
  id: "timing",
  collection: "c",
  stac_extensions: [
    "https://stac-extensions.github.io/eo/v1.1.0/schema.json",
    "https://stac-extensions.github.io/projection/v2.0.0/schema.json",
  ],
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [14, 50],
        [15, 50],
        [15, 51],
        [14, 51],
        [14, 50],
      ],
    ],
  },
  bbox: [14, 50, 15, 51],
  properties: { datetime: "2024-05-01T10:00:00Z", "eo:cloud_cover": 12, "proj:code": "EPSG:32633" },
  links: [],
  assets: {},
};

for (const n of [1, 2, 3]) {
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  await requireItemSchemas(item, (field, why) => new Error(`${field}: ${why}`));
  const used = process.cpuUsage(cpu);
  const ms = (us: number) => (us / 1000).toFixed(1);
  console.log(
    `check ${n}: ${ms(used.user + used.system)} ms CPU, ${(performance.now() - t0).toFixed(1)} ms wall`,
  );
}
