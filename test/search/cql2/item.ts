import { expect } from "vitest";
import { BadRequestError } from "../../../shared/errors.ts";
import type { Geometry, StacItem } from "../../../shared/stac/types.ts";

/** The message of the BadRequestError that `run` throws (fails the test if it throws nothing else). */
export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    return (err as Error).message;
  }
  throw new Error("expected a BadRequestError");
}

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
