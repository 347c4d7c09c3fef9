// Tile ranges of a fine plan: the tile rows of the grid tiles whose box meets the search area (from
// their footprints), in the cloud band a cloud bound allows, each time-ordered and time-bounded.
import { intersects } from "../../geo/geometry.ts";
import { bboxToGeometry } from "../../geo/normalize.ts";
import { approxAreaKm2 } from "../../index/cells.ts";
import {
  CLOUD_BANDS,
  COUNTED_ROWS_FEATURE,
  cloudBandPrefix,
  footprintTileAreaKm2,
  prefixedTimeRange,
  TILE_ROW_PREFIX,
  tilePartition,
} from "../../index/keys.ts";
import type { Geometry } from "../../stac/types.ts";
import { cloudSelectivity, timeShare } from "./estimates.ts";
import type { PlanCollection, PlannedQuery } from "./types.ts";

/**
 * Share of a tile's items expected to match an area meeting its box: most revisits cover the whole
 * tile, those at a swath's edge a part of it.
 */
const TILE_HIT_RATE = 0.85;

/** Tile rows of the tiles whose box meets the area, each time-ordered and time-bounded. */
export function tileQueries(
  c: PlanCollection,
  g: Geometry,
  from: string,
  to: string,
  overlaps: { from: string; to: string },
  queryKm2: number,
  cloudCoverMax: number | undefined,
): PlannedQuery[] {
  const span: [number, number] = [Date.parse(from), Date.parse(to)];
  // A cloud bound within a band: the band's rows hold exactly the tile's items under it.
  const band =
    cloudCoverMax !== undefined && (c.indexFeatures ?? 0) >= COUNTED_ROWS_FEATURE
      ? CLOUD_BANDS.find((b) => b >= cloudCoverMax)
      : undefined;
  const prefix = band === undefined ? TILE_ROW_PREFIX : cloudBandPrefix(band);
  const cloud = cloudSelectivity(c, cloudCoverMax, band);
  return (c.tiles ?? [])
    .map((t) => ({ ...t, box: bboxToGeometry(t.bbox) }))
    .filter((t) => intersects(t.box, g))
    .map((t) => {
      const q: PlannedQuery = {
        pk: tilePartition(c.id, t.tile),
        range: prefixedTimeRange(prefix, from, to),
        descending: true,
        overlaps,
        order: { prefix },
      };
      if (c.rows) {
        const share = timeShare(c, span);
        const boxKm2 = approxAreaKm2(t.box);
        // A footprint tile's box may hold footprints of neighbouring centres too (keys.ts
        // footprintTileCode): at most the share of the box that its items' largest footprint (by its
        // area class) and the search area cover together match. Named tiles' boxes hold one footprint.
        const footprintKm2 = footprintTileAreaKm2(t.tile);
        const spread =
          footprintKm2 === undefined
            ? 1
            : Math.min(1, (Math.sqrt(queryKm2) + Math.sqrt(footprintKm2)) ** 2 / Math.max(1, boxKm2));
        const hitRate = Math.min(1, TILE_HIT_RATE + queryKm2 / Math.max(1, boxKm2)) * spread;
        q.estimate = {
          rows: t.items * share.share * cloud.rows,
          from: share.from,
          to: share.to,
          hitRate: hitRate * cloud.hits,
          profile: share.profile,
        };
      }
      return q;
    });
}
