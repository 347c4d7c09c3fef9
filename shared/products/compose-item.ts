// The last step of every reader: a STAC Item with the fields every item carries, in one shape.
import { boxFootprint, type FootprintOptions, footprint } from "../geo/footprint.ts";
import type { Asset, BBox, Geometry, StacItem } from "../stac/types.ts";
import { STAC_VERSION } from "../stac/types.ts";

export interface ItemParts {
  id: string;
  collection: string;
  /** [lon, lat] ring as the product writes it; made valid GeoJSON on the sphere here (footprint.ts). */
  footprint?: [number, number][];
  /** A gridded product's extent `[west, south, east, north]`, when it has no ring (footprint.ts). */
  footprintBox?: BBox;
  /** What the format says about the ring, and what the result is checked against. */
  footprintOptions?: FootprintOptions;
  geometry?: Geometry | null;
  bbox?: BBox;
  properties: Record<string, unknown>;
  assets: Record<string, Asset>;
  extensions: string[];
}

export function composeItem(parts: ItemParts): StacItem {
  let geometry: Geometry | null = parts.geometry ?? null;
  let bbox: number[] | undefined = parts.bbox;
  if (parts.footprint && parts.footprint.length >= 3) {
    const fp = footprint(parts.footprint, { label: `${parts.id}: footprint`, ...parts.footprintOptions });
    geometry = fp.geometry;
    bbox = fp.bbox;
  } else if (parts.footprintBox) {
    const fp = boxFootprint(parts.footprintBox, {
      label: `${parts.id}: grid footprint`,
      ...parts.footprintOptions,
    });
    geometry = fp.geometry;
    bbox = fp.bbox;
  }
  const properties = dropUndefined(parts.properties);
  const datetime = typeof properties["datetime"] === "string" ? (properties["datetime"] as string) : null;
  return {
    type: "Feature",
    stac_version: STAC_VERSION,
    stac_extensions: [...new Set(parts.extensions)].sort(),
    id: parts.id,
    collection: parts.collection,
    geometry,
    ...(bbox ? { bbox } : {}),
    properties: { ...properties, datetime },
    links: [],
    assets: parts.assets,
  };
}

export function dropUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !Number.isNaN(v)));
}

/** ISO 8601 with a Z; inputs without a zone (Sentinel-1 manifests) are UTC. */
export function isoUtc(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const v = /(Z|[+-]\d\d:?\d\d)$/.test(value) ? value : `${value}Z`;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return undefined;
  // Keep the source's sub-second digits (microseconds) that Date would cut to milliseconds.
  const frac = /\.(\d+)/.exec(value)?.[1];
  const base = d.toISOString().slice(0, 19);
  return frac ? `${base}.${frac.padEnd(6, "0").slice(0, 6)}Z` : `${base}Z`;
}

/** Microseconds since the epoch: Date keeps only milliseconds, the products carry microseconds. */
export function toMicros(iso: string): number {
  const base = Date.parse(iso.replace(/\.\d+/, ""));
  const frac = (/\.(\d+)/.exec(iso)?.[1] ?? "").padEnd(6, "0").slice(0, 6);
  return base * 1000 + Number(frac);
}

export function fromMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  return `${new Date(ms).toISOString().slice(0, 23)}${String(us - ms * 1000).padStart(3, "0")}Z`;
}

export function midpoint(start: string, end: string): string {
  return fromMicros(Math.floor((toMicros(start) + toMicros(end)) / 2));
}
