// The coverage view: how many products the current filters match per H3 cell, from the API's
// aggregation (/aggregate). h3-js is loaded only when the view is first shown, to keep the page light.
import type { Feature, MultiPolygon, Polygon } from "geojson";
import L from "leaflet";
import type { Api } from "./api.ts";
import { unwrapRing } from "./basemap.ts";
import { type SearchState, searchBody, searchParams } from "./state.ts";

interface Aggregation {
  aggregations: { name: string; buckets?: { key: string; frequency: number }[] }[];
}

const NAME = "centroid_geohex_grid_frequency";

/** Coarser cells when zoomed out: about a dozen cells across the view. */
export const precisionForZoom = (zoom: number) => Math.max(0, Math.min(6, Math.round(zoom / 1.5)));

/** Blue to orange by the log of the count: several orders of magnitude stay readable. */
function colour(count: number, max: number): string {
  const t = max <= 1 ? 1 : Math.log(count) / Math.log(max);
  const hue = 210 - 185 * t;
  return `hsl(${hue}, 80%, 42%)`;
}

/** Cells for the filters; with an area (drawn, pasted, a country), POST /aggregate with it as `intersects`. */
export async function coverageLayer(
  api: Api,
  state: SearchState,
  zoom: number,
  area?: MultiPolygon,
): Promise<L.GeoJSON> {
  const clean = { ...state, token: undefined, item: undefined };
  const precision = precisionForZoom(zoom);
  let request: Promise<Aggregation>;
  if (area) {
    const { limit: _limit, ...body } = searchBody(clean, area);
    request = api.post<Aggregation>("/aggregate", {
      ...body,
      aggregations: [NAME],
      [`${NAME}_precision`]: precision,
    });
  } else {
    const p = searchParams(clean);
    p.delete("limit");
    p.set("aggregations", NAME);
    p.set(`${NAME}_precision`, String(precision));
    request = api.get<Aggregation>(`/aggregate?${p}`);
  }
  const [agg, h3] = await Promise.all([request, import("h3-js")]);
  const buckets = agg.aggregations.find((a) => a.name === NAME)?.buckets ?? [];
  const max = Math.max(1, ...buckets.map((b) => b.frequency));
  const cells: Feature<Polygon, { count: number; cell: string }>[] = buckets.map((b) => ({
    type: "Feature",
    properties: { count: b.frequency, cell: b.key },
    geometry: { type: "Polygon", coordinates: [unwrapRing(h3.cellToBoundary(b.key, true))] },
  }));
  return L.geoJSON(cells, {
    style: (f) => ({
      color: colour(f?.properties.count ?? 1, max),
      weight: 1,
      fillOpacity: 0.45,
      className: "coverage-cell",
    }),
    onEachFeature: (f, layer) =>
      layer.bindTooltip(`${f.properties.count} product${f.properties.count === 1 ? "" : "s"}`),
  });
}
