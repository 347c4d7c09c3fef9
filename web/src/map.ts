// The map: an offline Natural Earth outline as basemap (or a configured tile service), the search area
// (a box, a drawn or pasted polygon, a country) and the results' footprints.
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from "geojson";
import L from "leaflet";
import { feature } from "topojson-client";
import type { Topology } from "topojson-specification";
import type { StacItem } from "./api.ts";
import { displayArea } from "./area.ts";
import { joinAtAntimeridian, planarLand } from "./basemap.ts";
import type { Bbox } from "./state.ts";

const FOOTPRINT = { color: "#0b5cad", weight: 1.5, fillOpacity: 0.08 };
const HIGHLIGHT = { color: "#c2410c", weight: 3, fillOpacity: 0.3 };

const wrapLon = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;
const clampLat = (y: number) => Math.max(-90, Math.min(90, y));

/** A STAC bbox from two map corners; west > east when the box crosses the antimeridian. */
export function bboxFromCorners(a: L.LatLng, b: L.LatLng): Bbox {
  const west = Math.min(a.lng, b.lng);
  const east = Math.max(a.lng, b.lng);
  const south = clampLat(Math.min(a.lat, b.lat));
  const north = clampLat(Math.max(a.lat, b.lat));
  if (east - west >= 360) return [-180, south, 180, north];
  const w = wrapLon(west);
  const e = east === 180 ? 180 : wrapLon(east);
  return [w, south, e, north];
}

/** Where the basemap comes from: the packaged land outline, or a tile URL template when configured. */
export interface Basemap {
  land: string;
  tiles?: string | undefined;
  attribution?: string | undefined;
}

export class SearchMap {
  readonly map: L.Map;
  private box: L.Rectangle | undefined;
  private footprints = new Map<string, L.GeoJSON>();
  private drawing = false;

  private area: L.GeoJSON | undefined;

  constructor(el: HTMLElement, basemap: Basemap, onBox: (b: Bbox) => void) {
    this.map = L.map(el, { worldCopyJump: false, minZoom: 1, attributionControl: true }).setView([30, 0], 2);
    if (basemap.tiles) {
      // Configured by the operator (HEXARCHIVE_BASEMAP_TILES); the page's CSP admits its host.
      L.tileLayer(basemap.tiles, { attribution: basemap.attribution ?? "", maxZoom: 18 })
        .once("load", () => {
          el.dataset["basemap"] = "loaded";
        })
        .addTo(this.map);
    } else this.landOutline(el, basemap.land);
    this.setupBox(onBox);
  }

  private landOutline(el: HTMLElement, landUrl: string): void {
    this.map.attributionControl.addAttribution("Natural Earth");
    void fetch(landUrl)
      .then((r) => r.json() as Promise<Topology>)
      .then((topo) => {
        const land = feature(topo, topo.objects["land"]!) as unknown as FeatureCollection<
          Polygon | MultiPolygon
        >;
        L.geoJSON(
          land.features.map((f) => ({ ...f, geometry: planarLand(f.geometry) })),
          {
            interactive: false,
            // No outline: rings closed through a pole (basemap.ts) would show their closing edge.
            style: { stroke: false, fillColor: "#e8e6d9", fillOpacity: 1 },
          },
        )
          .addTo(this.map)
          .bringToBack();
        el.dataset["basemap"] = "loaded";
      });
  }

  private setupBox(onBox: (b: Bbox) => void): void {
    let start: L.LatLng | undefined;
    this.map.on("mousedown", (e: L.LeafletMouseEvent) => {
      if (!this.drawing) return;
      start = e.latlng;
      this.setBoxLayer(L.latLngBounds(start, start));
    });
    this.map.on("mousemove", (e: L.LeafletMouseEvent) => {
      if (this.drawing && start) this.box?.setBounds(L.latLngBounds(start, e.latlng));
    });
    this.map.on("mouseup", (e: L.LeafletMouseEvent) => {
      if (!this.drawing || !start) return;
      const bbox = bboxFromCorners(start, e.latlng);
      start = undefined;
      this.setDrawing(false);
      onBox(bbox);
    });
  }

  setDrawing(on: boolean): void {
    this.drawing = on;
    const c = this.map.getContainer();
    c.classList.toggle("drawing", on);
    if (on) this.map.dragging.disable();
    else this.map.dragging.enable();
  }

  /** The visible area as a bbox. */
  viewBbox(): Bbox {
    const b = this.map.getBounds();
    return bboxFromCorners(b.getSouthWest(), b.getNorthEast());
  }

  showBox(b: Bbox | undefined): void {
    if (!b) {
      this.box?.remove();
      this.box = undefined;
      return;
    }
    const [w, s, e, n] = b;
    const bounds = L.latLngBounds([s, w], [n, e < w ? e + 360 : e]);
    this.setBoxLayer(bounds);
    if (!this.map.getBounds().contains(bounds)) this.map.fitBounds(bounds, { padding: [20, 20] });
  }

  /**
   * Shows the search area (normal form, drawn joined at 180°), or none; `fit` brings it into view:
   * "always" zooms to it (a country just picked), "hidden" only when it is not in view already.
   */
  showArea(area: MultiPolygon | undefined, fit: "always" | "hidden" | "never" = "never"): void {
    this.area?.remove();
    this.area = undefined;
    if (!area) return;
    this.area = L.geoJSON(displayArea(area), {
      interactive: false,
      style: { color: "#333", weight: 1.5, dashArray: "4 4", fillOpacity: 0.04, className: "search-area" },
    }).addTo(this.map);
    const bounds = this.area.getBounds();
    if (!bounds.isValid() || fit === "never") return;
    if (fit === "always" || !this.map.getBounds().contains(bounds))
      this.map.fitBounds(bounds, { padding: [20, 20], maxZoom: 8 });
  }

  private setBoxLayer(bounds: L.LatLngBounds): void {
    if (this.box) this.box.setBounds(bounds);
    else
      this.box = L.rectangle(bounds, {
        color: "#333",
        weight: 1,
        dashArray: "4 4",
        fill: false,
        interactive: false,
      }).addTo(this.map);
  }

  showFootprints(items: StacItem[], onClick: (item: StacItem) => void): void {
    for (const l of this.footprints.values()) l.remove();
    this.footprints.clear();
    for (const item of items) {
      if (!item.geometry) continue;
      const shape: Feature = { type: "Feature", properties: {}, geometry: joinAtAntimeridian(item.geometry) };
      const layer = L.geoJSON(shape, { style: FOOTPRINT })
        .bindTooltip(item.id)
        .on("click", () => onClick(item))
        .addTo(this.map);
      this.footprints.set(item.id, layer);
    }
  }

  private coverage: L.Layer | undefined;

  /** Shows (or, with undefined, removes) the coverage cells, beneath the footprints. */
  showCoverage(layer: L.GeoJSON | undefined): void {
    this.coverage?.remove();
    this.coverage = layer?.addTo(this.map);
    // Above the land, below the footprints.
    for (const f of this.footprints.values()) f.bringToFront();
  }

  zoom(): number {
    return this.map.getZoom();
  }

  /** Brings a product's footprint into view. */
  focus(id: string): void {
    const layer = this.footprints.get(id);
    if (!layer) return;
    const bounds = layer.getBounds();
    if (bounds.isValid() && !this.map.getBounds().contains(bounds))
      this.map.fitBounds(bounds, { maxZoom: 7 });
  }

  /** The map's size changed (the product panel opened or closed). */
  resized(): void {
    this.map.invalidateSize();
  }

  highlight(id: string | undefined): void {
    for (const [key, layer] of this.footprints) {
      const on = key === id;
      layer.setStyle(on ? HIGHLIGHT : FOOTPRINT);
      if (on) layer.bringToFront();
    }
  }

  footprintCount(): number {
    return this.footprints.size;
  }
}
