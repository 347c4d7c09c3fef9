// GRIB files (e.g. ERA5 month files): time range and grid extent from the section headers → STAC Item.
import { ProductError } from "../../http/errors.ts";
import type { BBox, StacItem } from "../../stac/types.ts";
import { objectReader } from "../../zip/range-reader.ts";
import { productAsset } from "../assets.ts";
import { composeItem } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import type { ProductContext } from "../types.ts";
import { walkGrib } from "./grib-messages.ts";

export async function readGrib(ctx: ProductContext): Promise<StacItem> {
  const { store, object } = ctx;
  const messages = await walkGrib(objectReader(store, object.key, object.size));
  if (messages.length === 0) throw new ProductError(`${object.key}: no GRIB messages`);
  const times = messages.map((m) => m.validTime).sort();
  const start = times[0]!;
  const end = times.at(-1)!;
  const bbox = gridBbox(messages.map((m) => m.extent));
  const [w, s, e, n] = bbox;
  const name = object.key
    .split("/")
    .at(-1)!
    .replace(/\.(grib2?|grb2?)$/i, "");
  return composeItem({
    id: name,
    collection: "ecmwf-grib",
    geometry: {
      type: "Polygon",
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    },
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

/** Union of regular lat/lon grids, in -180..180; a grid that goes round the globe is global. */
function gridBbox(extents: (readonly [number, number, number, number] | undefined)[]): BBox {
  const known = extents.filter((e): e is [number, number, number, number] => e !== undefined);
  if (known.length === 0) return [-180, -90, 180, 90];
  let west = 180;
  let east = -180;
  let south = 90;
  let north = -90;
  for (const [lo1, la1, lo2, la2] of known) {
    south = Math.min(south, la1);
    north = Math.max(north, la2);
    const span = (((lo2 - lo1) % 360) + 360) % 360;
    // A grid spanning >= 355° (e.g. 0..355 by 5°) closes round the globe once its last step is added.
    if (span >= 355 || lo2 - lo1 >= 355) {
      west = -180;
      east = 180;
      continue;
    }
    const norm = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;
    west = Math.min(west, norm(lo1));
    east = Math.max(east, norm(lo2));
  }
  return [west, south, east, north];
}
