// Countries and regions as search areas, from the packaged Natural Earth outlines (world-atlas
// countries-110m, which carries their names): fetched once, when first needed.
import type { MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { normalArea } from "./area.ts";

export interface Country {
  name: string;
  /** Outline in the API's normal form (split at the antimeridian), ready to search with. */
  area: MultiPolygon;
}

/** Every named country of a countries topology, sorted by name. */
export function countriesOf(topo: Topology): Country[] {
  const object = topo.objects["countries"] as GeometryCollection<{ name?: string }>;
  const fc = feature(topo, object) as unknown as {
    features: { properties: { name?: string } | null; geometry: Polygon | MultiPolygon | null }[];
  };
  return fc.features
    .filter((f) => f.geometry && f.properties?.name)
    .map((f) => {
      const g = f.geometry!;
      return {
        name: f.properties!.name!,
        area: normalArea(g.type === "Polygon" ? [g.coordinates] : g.coordinates),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

let loading: Promise<Country[]> | undefined;

/** The countries, fetched from `url` on the first call. */
export function loadCountries(url: string): Promise<Country[]> {
  loading ??= fetch(url)
    .then((r) => {
      if (!r.ok) throw new Error(`country outlines: ${r.status}`);
      return r.json() as Promise<Topology>;
    })
    .then(countriesOf)
    .catch((err) => {
      loading = undefined;
      throw err;
    });
  return loading;
}

/** The country of that name (any letter case), if the outlines have it. */
export async function findCountry(url: string, name: string): Promise<Country | undefined> {
  const key = name.trim().toLowerCase();
  return (await loadCountries(url)).find((c) => c.name.toLowerCase() === key);
}
