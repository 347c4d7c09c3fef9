import type { Geometry, StacItem } from "../../../shared/stac/types.ts";

/** A small Sentinel-2-like item; override anything. */
export function makeItem(
  properties: Record<string, unknown> = {},
  geometry: Geometry | null = {
    type: "Polygon",
    coordinates: [
      [
        [10, 40],
        [11, 40],
        [11, 41],
        [10, 41],
        [10, 40],
      ],
    ],
  },
): StacItem {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: "S2B_MSIL2A_20210408T103619_T32TMT",
    collection: "sentinel-2-l2a",
    geometry,
    properties: { datetime: "2021-04-08T10:36:19Z", ...properties },
    links: [],
    assets: {},
  };
}
