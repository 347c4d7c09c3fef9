// Sentinel-2 granule (tile) metadata: GRANULE/<id>/MTD_TL.xml — CRS, grid, angles, tile cloud cover.
import { attrOf, findAll, findFirst, findText, parseXml, textOf, toNumber } from "../xml.ts";

export interface S2TileMetadata {
  tileId?: string | undefined;
  sensingTime?: string | undefined;
  epsg?: string | undefined;
  /** Per resolution (10/20/60): rows, columns and upper-left corner. */
  grids: Map<number, { rows: number; cols: number; ulx: number; uly: number }>;
  sunZenith?: number | undefined;
  sunAzimuth?: number | undefined;
  viewZenith?: number | undefined;
  viewAzimuth?: number | undefined;
  cloudyPixels?: number | undefined;
}

export function parseTileMetadata(bytes: Uint8Array, document: string): S2TileMetadata {
  const doc = parseXml(bytes, document);
  const grids = new Map<number, { rows: number; cols: number; ulx: number; uly: number }>();
  const positions = findAll(doc, "Geoposition");
  for (const size of findAll(doc, "Size")) {
    const res = toNumber(attrOf(size, "resolution"));
    const pos = positions.find((p) => attrOf(p, "resolution") === String(res));
    const rows = toNumber(findText(size, "NROWS"));
    const cols = toNumber(findText(size, "NCOLS"));
    const ulx = toNumber(findText(pos, "ULX"));
    const uly = toNumber(findText(pos, "ULY"));
    if (res && rows && cols && ulx !== undefined && uly !== undefined)
      grids.set(res, { rows, cols, ulx, uly });
  }
  const sun = findFirst(doc, "Mean_Sun_Angle");
  const views = findAll(doc, "Mean_Viewing_Incidence_Angle");
  const mean = (name: string) => {
    const values = views.map((v) => toNumber(findText(v, name))).filter((v): v is number => v !== undefined);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
  };
  return {
    tileId: findText(doc, "TILE_ID"),
    sensingTime: findText(doc, "SENSING_TIME"),
    epsg: findText(doc, "HORIZONTAL_CS_CODE"),
    grids,
    sunZenith: toNumber(findText(sun, "ZENITH_ANGLE")),
    sunAzimuth: toNumber(findText(sun, "AZIMUTH_ANGLE")),
    viewZenith: mean("ZENITH_ANGLE"),
    viewAzimuth: mean("AZIMUTH_ANGLE"),
    cloudyPixels: toNumber(textOf(findFirst(doc, "CLOUDY_PIXEL_PERCENTAGE"))),
  };
}
