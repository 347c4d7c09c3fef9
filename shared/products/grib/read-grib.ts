// GRIB files (e.g. ERA5 month files): time range and grid extent from the section headers → STAC Item.
import { ProductError } from "../../errors.ts";
import type { Geometry, Ring, StacItem } from "../../stac/types.ts";
import { objectReader } from "../../zip/range-reader.ts";
import { productAsset } from "../assets.ts";
import { composeItem } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import type { ProductContext } from "../types.ts";
import { gridBbox } from "./grib-extent.ts";
import { walkGrib } from "./grib-messages.ts";

export async function readGrib(ctx: ProductContext): Promise<StacItem> {
  const { store, object } = ctx;
  const messages = await walkGrib(objectReader(store, object.key, object.size));
  if (messages.length === 0) throw new ProductError(`${object.key}: no GRIB messages`);
  const times = messages.map((m) => m.validTime).sort();
  const start = times[0]!;
  const end = times.at(-1)!;
  const bbox = gridBbox(messages);
  const name = object.key
    .split("/")
    .at(-1)!
    .replace(/\.(grib2?|grb2?)$/i, "");
  return composeItem({
    id: name,
    collection: "ecmwf-grib",
    geometry: boxGeometry(bbox),
    bbox,
    properties: {
      datetime: start === end ? start : null,
      start_datetime: start,
      end_datetime: end,
      "grib:edition": messages[0]!.edition,
      "grib:centre": messages[0]!.centre,
      "grib:message_count": messages.length,
    },
    assets: { product: productAsset(store.bucket, object, "application/x-grib", "GRIB file") },
    extensions: [EXT.file],
  });
}

/** The box as GeoJSON: two polygons, one each side, when it crosses the antimeridian. */
function boxGeometry([w, s, e, n]: [number, number, number, number]): Geometry {
  const ring = (west: number, east: number): Ring[] => [
    [
      [west, s],
      [east, s],
      [east, n],
      [west, n],
      [west, s],
    ],
  ];
  if (w <= e) return { type: "Polygon", coordinates: ring(w, e) };
  return { type: "MultiPolygon", coordinates: [ring(w, 180), ring(-180, e)] };
}
