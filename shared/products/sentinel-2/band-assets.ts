// One asset per Sentinel-2 band file ("asset = band"): `B04` at the band's native resolution,
// `B04_20m`/`B04_60m` for the resampled copies L2A ships; TCI, SCL, AOT, WVP likewise.
import type { Asset } from "../../stac/types.ts";
import type { ProductSource } from "../source/product-source.ts";
import { bandById, L2A_LAYERS, MSI_BANDS } from "./bands.ts";
import type { S2ProductMetadata } from "./product-metadata.ts";
import type { S2TileMetadata } from "./tile-metadata.ts";

const FILE = /_(B\d[\dA]|TCI|SCL|AOT|WVP)(?:_(\d+)m)?$/;

export function bandAssets(
  source: ProductSource,
  mtd: S2ProductMetadata,
  tile: S2TileMetadata | undefined,
): Record<string, Asset> {
  const assets: Record<string, Asset> = {};
  const paths = new Set(source.files.map((f) => f.path));
  const l2a = /2A/.test(mtd.productType);
  const scale = 1 / (mtd.quantification ?? 10000);
  for (const image of mtd.imageFiles) {
    const m = FILE.exec(image);
    if (!m) continue;
    const id = m[1]!;
    const path = [`${image}.jp2`, `${image}.tif`, image].find((p) => paths.has(p));
    if (!path) continue; // listed in the metadata but not shipped: nothing to serve
    const band = bandById(id);
    const layer = L2A_LAYERS[id];
    const resolution = m[2] ? Number(m[2]) : (band?.resolution ?? layer?.resolution ?? 10);
    const native = band?.resolution ?? layer?.resolution ?? resolution;
    const key = resolution === native || !l2a ? id : `${id}_${resolution}m`;
    const grid = tile?.grids.get(resolution);
    const fields: Omit<Asset, "href"> = {
      title: `${band?.title ?? layer?.title ?? id} (${id}) - ${resolution}m`,
      type: path.endsWith(".jp2") ? "image/jp2" : "image/tiff; application=geotiff",
      roles: band ? ["data", "reflectance"] : (layer?.roles ?? ["data"]),
      gsd: resolution,
      ...(grid
        ? {
            "proj:shape": [grid.rows, grid.cols],
            "proj:transform": [resolution, 0, grid.ulx, 0, -resolution, grid.uly],
          }
        : {}),
    };
    if (band) {
      const offset = mtd.offsets.get(MSI_BANDS.indexOf(band));
      fields["bands"] = [
        {
          name: id,
          ...(band.commonName ? { "eo:common_name": band.commonName } : {}),
          ...(band.center ? { "eo:center_wavelength": band.center } : {}),
          ...(band.fwhm ? { "eo:full_width_half_max": band.fwhm } : {}),
          data_type: "uint16",
          nodata: 0,
          "raster:scale": scale,
          "raster:offset": offset === undefined ? 0 : offset * scale,
        },
      ];
    }
    assets[key] = source.asset(path, fields);
  }
  return assets;
}
