// The benchmark's query set: STAC search bodies, plus paged variants of other queries.
import type { ItemSummary } from "../../shared/index/rows.ts";

export interface BenchQuery {
  id: string;
  body: Record<string, unknown>;
  /** Page number (1-based) of `base` to measure; the pages before it are walked once. */
  page?: number;
  /** Row test the executor applies through its `accept` hook (a filter on summary properties). */
  accept?: (s: ItemSummary) => boolean;
}

/** Czechia, simplified to a non-convex outline. */
const CZECHIA = [
  [12.09, 50.25],
  [12.5, 50.4],
  [13.0, 50.6],
  [14.3, 51.05],
  [14.8, 50.85],
  [15.0, 51.0],
  [16.3, 50.66],
  [16.2, 50.42],
  [16.9, 50.45],
  [17.7, 50.3],
  [18.85, 49.5],
  [17.6, 48.85],
  [16.95, 48.62],
  [16.0, 48.78],
  [15.0, 49.0],
  [14.7, 48.6],
  [13.8, 48.77],
  [12.9, 49.35],
  [12.45, 49.75],
  [12.09, 50.25],
];

export const cloudBelow30 = (s: ItemSummary) => {
  const cc = s.properties["eo:cloud_cover"];
  return typeof cc === "number" && cc < 30;
};

export const DEFAULT_QUERIES: BenchQuery[] = [
  { id: "Q1", body: { intersects: { type: "Point", coordinates: [14.42, 50.08] }, limit: 100 } },
  {
    id: "Q2",
    body: {
      bbox: [16.25, 49.0, 16.95, 49.45],
      datetime: "2024-06-01T00:00:00Z/2024-06-30T23:59:59Z",
      collections: ["sentinel-2-l2a"],
      limit: 10,
    },
  },
  {
    id: "Q3",
    body: {
      intersects: { type: "Polygon", coordinates: [CZECHIA] },
      datetime: "2023-01-01T00:00:00Z/2023-12-31T23:59:59Z",
      collections: ["sentinel-2-l2a"],
      limit: 10,
    },
    accept: cloudBelow30,
  },
  {
    id: "Q4",
    body: { bbox: [-10, 35, 30, 60], datetime: "2024-03-14T00:00:00Z/2024-03-14T23:59:59Z", limit: 10 },
  },
  {
    id: "Q5",
    body: { bbox: [-180, -90, 180, 90], datetime: "2024-03-14T10:00:00Z/2024-03-14T10:59:59Z", limit: 10 },
  },
  {
    id: "Q6",
    body: { bbox: [176, -20, -178, -15], datetime: "2023-01-01T00:00:00Z/2023-12-31T23:59:59Z", limit: 10 },
  },
  {
    id: "Q7",
    body: { bbox: [-180, 80, 180, 90], datetime: "2024-05-01T00:00:00Z/2024-05-31T23:59:59Z", limit: 10 },
  },
  { id: "Q8", body: {}, page: 50 },
];

/** Resolves `{"base": "Q3", "limit": 10, "page": 50}` entries of a query file against the others. */
export function resolveQueries(spec: Record<string, Record<string, unknown>>): BenchQuery[] {
  const out: BenchQuery[] = [];
  for (const [id, body] of Object.entries(spec)) {
    const { base, page, ...rest } = body as { base?: string; page?: number } & Record<string, unknown>;
    if (base !== undefined) {
      const b = spec[base];
      if (!b) throw new Error(`${id}: unknown base query ${base}`);
      out.push({ id, body: { ...b, ...rest }, page: page ?? 1 });
    } else out.push({ id, body });
  }
  return out;
}

export function defaultQueries(): BenchQuery[] {
  const q3 = DEFAULT_QUERIES.find((q) => q.id === "Q3")!;
  return DEFAULT_QUERIES.map((q) => (q.id === "Q8" ? { ...q3, id: "Q8", page: 50 } : q));
}
