// GeoJSON and STAC shapes shared by the readers, the index and the API.

export type Position = [number, number] | [number, number, number];
export type Ring = Position[];

export interface Point {
  type: "Point";
  coordinates: Position;
}
export interface MultiPoint {
  type: "MultiPoint";
  coordinates: Position[];
}
export interface LineString {
  type: "LineString";
  coordinates: Position[];
}
export interface MultiLineString {
  type: "MultiLineString";
  coordinates: Position[][];
}
export interface Polygon {
  type: "Polygon";
  coordinates: Ring[];
}
export interface MultiPolygon {
  type: "MultiPolygon";
  coordinates: Ring[][];
}
export interface GeometryCollection {
  type: "GeometryCollection";
  geometries: Geometry[];
}
export type Geometry =
  | Point
  | MultiPoint
  | LineString
  | MultiLineString
  | Polygon
  | MultiPolygon
  | GeometryCollection;

/** [west, south, east, north]; west > east means the box crosses the antimeridian. */
export type BBox = [number, number, number, number];

export interface Link {
  rel: string;
  href: string;
  type?: string;
  title?: string;
  method?: string;
  body?: unknown;
  merge?: boolean;
  [k: string]: unknown;
}

export interface Asset {
  href: string;
  type?: string;
  title?: string;
  description?: string;
  roles?: string[];
  [k: string]: unknown;
}

export interface StacItem {
  type: "Feature";
  stac_version: string;
  stac_extensions?: string[];
  id: string;
  collection?: string;
  geometry: Geometry | null;
  bbox?: number[];
  properties: Record<string, unknown> & { datetime: string | null };
  links: Link[];
  assets: Record<string, Asset>;
}

export interface StacCollection {
  type: "Collection";
  stac_version: string;
  stac_extensions?: string[];
  id: string;
  title?: string;
  description: string;
  keywords?: string[];
  license: string;
  providers?: { name: string; roles?: string[]; url?: string; description?: string }[];
  extent: {
    spatial: { bbox: number[][] };
    temporal: { interval: (string | null)[][] };
  };
  summaries?: Record<string, unknown>;
  links: Link[];
  assets?: Record<string, Asset>;
  item_assets?: Record<string, unknown>;
  [k: string]: unknown;
}

export const STAC_VERSION = "1.1.0";
