// Synthetic STAC items that stress stac-geoparquet: antimeridian and polar footprints, properties that
// differ from item to item (types, JSON nulls, timestamps of several precisions), a 3D box, absent fields.
import type { StacItem } from "../../shared/stac/types.ts";

export function syntheticItems(): StacItem[] {
  const base = (id: string, properties: Record<string, unknown>, more: Partial<StacItem> = {}): StacItem =>
    ({
      type: "Feature",
      stac_version: "1.1.0",
      stac_extensions: [],
      id,
      collection: "synthetic",
      geometry: { type: "Point", coordinates: [10, 50] },
      bbox: [10, 50, 10, 50],
      properties: { datetime: "2024-03-01T10:00:00Z", ...properties },
      links: [],
      assets: {},
      ...more,
    }) as StacItem;
  return [
    base(
      "antimeridian",
      { "eo:cloud_cover": 12.5, "sat:relative_orbit": 7, platform: "sentinel-2a" },
      {
        geometry: {
          type: "MultiPolygon",
          coordinates: [
            [
              [
                [170, -10],
                [180, -10],
                [180, 10],
                [170, 10],
                [170, -10],
              ],
            ],
            [
              [
                [-180, -10],
                [-170, -10],
                [-170, 10],
                [-180, 10],
                [-180, -10],
              ],
            ],
          ],
        },
        bbox: [170, -10, -170, 10],
        assets: {
          product: { href: "s3://b/x.zip", type: "application/zip", roles: ["data"], "file:size": 812345678 },
        },
      },
    ),
    base(
      "north-pole",
      { "eo:cloud_cover": 3, "sat:relative_orbit": 8, "s2:extra": { nested: [1, "a", null] } },
      {
        geometry: {
          type: "Polygon",
          coordinates: [
            [
              [-180, 80],
              [-90, 80],
              [0, 80],
              [90, 80],
              [180, 80],
              [180, 90],
              [-180, 90],
              [-180, 80],
            ],
          ],
        },
        bbox: [-180, 80, 180, 90],
        assets: {
          product: { href: "s3://b/y.zip", roles: ["data"] },
          thumbnail: {
            href: "s3://b/y.jpg",
            type: "image/jpeg",
            roles: ["thumbnail"],
            "proj:shape": [343, 343],
          },
        },
        links: [{ rel: "via", href: "https://example.org/y", title: "upstream", type: "application/json" }],
      },
    ),
    base(
      "range-no-datetime",
      {
        datetime: null,
        start_datetime: "2024-03-01T00:00:00.123456Z",
        end_datetime: "2024-03-31T23:59:59.999999Z",
        updated: "2024-04-01T00:00:00.5Z",
        "x:maybe": null,
        instruments: ["olci"],
        "x:empty": [],
        "x:flag": true,
      },
      {
        geometry: null,
        stac_extensions: ["https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
        links: [
          {
            rel: "search",
            href: "https://example.org/s",
            method: "POST",
            body: { ids: ["a"] },
            merge: false,
          },
        ],
      },
    ),
    base(
      "three-d",
      {
        "x:maybe": "text",
        instruments: [],
        "sat:relative_orbit": 9.5,
        "x:flag": false,
        updated: "2024-04-02T00:00:00Z",
      },
      {
        geometry: { type: "Point", coordinates: [5, 45, 1200] },
        bbox: [5, 45, 1200, 5, 45, 1200],
        assets: { other: { href: "https://example.org/z.nc", "x:null": null } },
      },
    ),
    // Absent optional fields stay absent: no stac_extensions, no bbox, no collection.
    {
      type: "Feature",
      stac_version: "1.0.0",
      id: "bare",
      geometry: {
        type: "LineString",
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      properties: { datetime: "1969-07-20T20:17:40Z" },
      links: [],
      assets: { a: { href: "a.tif" } },
    } as StacItem,
  ];
}
