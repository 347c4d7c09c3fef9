// Aggregation extension: counts over every item a search matches, computed from index rows alone
// (no item reads): total, per collection, per datetime interval, per cloud-cover bucket, per
// `grid:code`, and per H3 cell of each footprint's centroid at a requested resolution.
import { cellToParent, latLngToCell } from "h3-js";
import { BadRequestError } from "../errors.ts";
import type { ItemSummary } from "../index/rows.ts";

export const AGGREGATIONS = [
  { name: "total_count", data_type: "integer" },
  { name: "datetime_min", data_type: "datetime" },
  { name: "datetime_max", data_type: "datetime" },
  { name: "collection_frequency", data_type: "frequency_distribution" },
  { name: "datetime_frequency", data_type: "frequency_distribution" },
  { name: "cloud_cover_frequency", data_type: "frequency_distribution" },
  { name: "grid_code_frequency", data_type: "frequency_distribution" },
  { name: "centroid_geohex_grid_frequency", data_type: "frequency_distribution" },
] as const;

export const AGGREGATION_PARAMS = [
  "aggregations",
  "datetime_frequency_interval",
  "centroid_geohex_grid_frequency_precision",
];

const INTERVALS = { year: 4, month: 7, day: 10, hour: 13 } as const;
type IntervalName = keyof typeof INTERVALS;

export interface AggregateParams {
  names: string[];
  interval: IntervalName;
  precision: number;
}

export function parseAggregateParams(
  raw: Record<string, unknown>,
  source: "query" | "body",
): AggregateParams {
  const known: string[] = AGGREGATIONS.map((a) => a.name);
  let names = known.filter((n) => n !== "centroid_geohex_grid_frequency" && n !== "grid_code_frequency");
  const a = raw["aggregations"];
  if (a !== undefined) {
    const list = typeof a === "string" && source === "query" ? a.split(",") : a;
    if (!Array.isArray(list) || !list.every((x) => typeof x === "string"))
      throw new BadRequestError("aggregations: expected a list of aggregation names");
    names = list.map((s) => s.trim()).filter((s) => s !== "");
    const bad = names.filter((n) => !known.includes(n));
    if (bad.length > 0)
      throw new BadRequestError(`aggregations: unknown '${bad[0]}' (available: ${known.join(", ")})`);
    if (names.length === 0)
      throw new BadRequestError(`aggregations: expected at least one of ${known.join(", ")}`);
  }
  const iv = raw["datetime_frequency_interval"] ?? "month";
  if (typeof iv !== "string" || !(iv in INTERVALS))
    throw new BadRequestError(
      `datetime_frequency_interval: expected one of ${Object.keys(INTERVALS).join(", ")}`,
    );
  const pr = raw["centroid_geohex_grid_frequency_precision"] ?? 3;
  const precision = typeof pr === "string" && source === "query" ? Number(pr) : pr;
  if (typeof precision !== "number" || !Number.isInteger(precision) || precision < 0 || precision > 15)
    throw new BadRequestError("centroid_geohex_grid_frequency_precision: expected an integer from 0 to 15");
  return { names, interval: iv as IntervalName, precision };
}

interface Bucket {
  key: string;
  data_type: string;
  frequency: number;
  from?: number;
  to?: number;
}

function frequencies(keys: (string | undefined)[], dataType: string, byKey = false): Bucket[] {
  const counts = new Map<string, number>();
  for (const k of keys) if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
  const buckets = [...counts].map(([key, frequency]) => ({ key, data_type: dataType, frequency }));
  return buckets.sort((a, b) =>
    byKey ? a.key.localeCompare(b.key) : b.frequency - a.frequency || a.key.localeCompare(b.key),
  );
}

/** Centre of a footprint's bbox, across the antimeridian when west > east. */
function centroid(s: ItemSummary): [number, number] | undefined {
  if (!s.bbox) return undefined;
  const [w, so, e, n] = s.bbox;
  let lon = w <= e ? (w + e) / 2 : (w + e + 360) / 2;
  if (lon > 180) lon -= 360;
  return [(so + n) / 2, lon];
}

function cloudBuckets(rows: ItemSummary[]): Bucket[] {
  const counts = new Array<number>(10).fill(0);
  for (const s of rows) {
    const c = s.properties["eo:cloud_cover"];
    if (typeof c === "number" && c >= 0 && c <= 100) counts[Math.min(9, Math.floor(c / 10))]! += 1;
  }
  return counts
    .map((frequency, i) => ({
      key: `${i * 10}-${i * 10 + 10}`,
      data_type: "numeric",
      frequency,
      from: i * 10,
      to: i * 10 + 10,
    }))
    .filter((b) => b.frequency > 0);
}

export function aggregate(rows: ItemSummary[], p: AggregateParams): Record<string, unknown>[] {
  const times = rows.map((s) => s.datetime).sort();
  return p.names.map((name) => {
    const dataType = AGGREGATIONS.find((a) => a.name === name)!.data_type;
    const head = { name, data_type: dataType };
    switch (name) {
      case "total_count":
        return { ...head, value: rows.length };
      case "datetime_min":
        return { ...head, value: times[0] ?? null };
      case "datetime_max":
        return { ...head, value: times[times.length - 1] ?? null };
      case "collection_frequency":
        return {
          ...head,
          overflow: 0,
          buckets: frequencies(
            rows.map((s) => s.collection),
            "string",
          ),
        };
      case "datetime_frequency": {
        const len = INTERVALS[p.interval];
        return {
          ...head,
          overflow: 0,
          buckets: frequencies(
            rows.map((s) => s.datetime.slice(0, len)),
            "datetime",
            true,
          ),
        };
      }
      case "cloud_cover_frequency":
        return { ...head, overflow: 0, buckets: cloudBuckets(rows) };
      case "grid_code_frequency": {
        const codes = rows
          .map((s) => s.properties["grid:code"])
          .map((c) => (typeof c === "string" ? c : undefined));
        return { ...head, overflow: 0, buckets: frequencies(codes, "string") };
      }
      default: {
        const cells = rows.map((s) => {
          const c = centroid(s);
          // Finest cell, then its ancestor: buckets nest across precisions (a cell's count is the sum
          // of its children's), which latLngToCell at a coarse resolution does not guarantee.
          return c ? cellToParent(latLngToCell(c[0], c[1], 15), p.precision) : undefined;
        });
        return { ...head, overflow: 0, buckets: frequencies(cells, "string") };
      }
    }
  });
}
