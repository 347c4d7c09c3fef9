// Sentinel-5P L2 (netCDF-4 file, or its `.json` attribute form): time, orbit and footprint → STAC Item.

import { ProductError } from "../../errors.ts";
import { latLonPairs } from "../../geo/footprint.ts";
import { openHdf5 } from "../../hdf5/hdf5-file.ts";
import type { Asset, BBox, StacItem } from "../../stac/types.ts";
import { objectReader, type RangeReader } from "../../zip/range-reader.ts";
import { productAsset } from "../assets.ts";
import { composeItem, isoUtc, midpoint } from "../compose-item.ts";
import { EXT } from "../extensions.ts";
import type { ProductContext } from "../types.ts";
import { attributesFromJson, attributesFromNetcdf, type S5pAttributes } from "./attributes.ts";
import { gridExtent } from "./grid-extent.ts";

/**
 * Only the file's HDF5 metadata is read (a few ranged GETs), never the science data; a gridded product
 * without a footprint ring also has its 1-D latitude/longitude variables read.
 */
async function netcdfAttributes(
  reader: RangeReader,
  key: string,
): Promise<S5pAttributes & { grid?: BBox | undefined }> {
  try {
    const file = await openHdf5(reader);
    const attrs = await attributesFromNetcdf(file);
    return attrs.posList ? attrs : { ...attrs, grid: await gridExtent(file) };
  } catch (err) {
    if (err instanceof ProductError) throw new ProductError(`${key}: ${err.message}`, { cause: err });
    throw err;
  }
}

export async function readSentinel5p(ctx: ProductContext, form: "netcdf" | "json"): Promise<StacItem> {
  const { store, object } = ctx;
  const name = object.key
    .split("/")
    .at(-1)!
    .replace(/\.(nc|json)$/i, "");
  const attrs: S5pAttributes & { grid?: BBox | undefined } =
    form === "json"
      ? attributesFromJson(await store.getObject(object.key), object.key)
      : await netcdfAttributes(objectReader(store, object.key, object.size), object.key);
  // The file name carries what the attributes may miss: product type, start/stop, orbit, processor.
  const parts = /^S5P_(\w{4})_(L2__\w{6})_(\d{8}T\d{6})_(\d{8}T\d{6})_(\d{5})_\d{2}_(\d{6})_/.exec(name);
  const fromName = (t: string | undefined) =>
    t
      ? `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`
      : undefined;
  const start = isoUtc(attrs.start ?? fromName(parts?.[3]));
  const end = isoUtc(attrs.end ?? fromName(parts?.[4]));
  if (!start || !end) throw new ProductError(`${object.key}: no time_coverage_start/end`);
  const productType = attrs.productType ?? parts?.[2];
  if (!productType) throw new ProductError(`${object.key}: no product type (ProductShortName)`);
  const footprint = attrs.posList ? latLonPairs(attrs.posList) : undefined;
  const short = productType.replace(/^L2__/, "").replace(/_+$/, "").replace(/_/g, "-").toLowerCase();

  const assets: Record<string, Asset> =
    form === "netcdf"
      ? { product: productAsset(store.bucket, object, "application/x-netcdf", "Sentinel-5P L2 netCDF") }
      : {
          metadata: {
            ...productAsset(store.bucket, object, "application/json", "Global attributes"),
            roles: ["metadata"],
          },
        };
  return composeItem({
    id: attrs.id ?? name,
    collection: `sentinel-5p-l2-${short}`,
    // Swath products: the orbit's footprint ring; gridded ones (O3_TCL): the grid's cells.
    ...(footprint && footprint.length >= 3 ? { footprint } : attrs.grid ? { footprintBox: attrs.grid } : {}),
    // A swath is at most a whole orbit's (2,600 km × 40,000 km): never most of the globe. A grid may be
    // the whole globe.
    footprintOptions: { areaKm2: attrs.grid && !footprint ? [100, 520_000_000] : [100, 130_000_000] },
    properties: {
      datetime: midpoint(start, end),
      start_datetime: start,
      end_datetime: end,
      platform: "sentinel-5p",
      constellation: "sentinel-5p",
      instruments: ["tropomi"],
      "sat:absolute_orbit": attrs.orbit ?? (parts ? Number(parts[5]) : undefined),
      "product:type": productType,
      "processing:version": attrs.processorVersion,
      "processing:datetime": productionTime(attrs.id),
      "s5p:processing_mode": processingMode(parts?.[1] ?? attrs.id, attrs.processingMode),
    },
    assets,
    extensions: [EXT.sat, EXT.product, EXT.processing, EXT.file],
  });
}

/** The product's timeliness class as its name writes it (NRTI, OFFL, RPRO), which is what S5P STAC
 * items carry; from the `ProcessingMode` attribute when the name does not say it. */
const MODE_CODES: Record<string, string> = {
  "Near-realtime": "NRTI",
  Offline: "OFFL",
  Reprocessing: "RPRO",
  Test: "TEST",
};

function processingMode(nameOrId: string | undefined, attribute: string | undefined): string | undefined {
  const fromName = /^(?:S5P_)?(NRTI|OFFL|RPRO|TEST)(?:_|$)/.exec(nameOrId ?? "")?.[1];
  return fromName ?? (attribute === undefined ? undefined : (MODE_CODES[attribute] ?? attribute));
}

/** The production time, the last field of the product id the file's own `id` attribute holds. */
function productionTime(id: string | undefined): string | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/.exec(id ?? "");
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
}
