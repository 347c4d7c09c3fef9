// The benchmark's query set: STAC search bodies, plus paged variants of other queries.
export interface BenchQuery {
  id: string;
  body: Record<string, unknown>;
  /** Page number (1-based) of `base` to measure; the pages before it are walked once. */
  page?: number;
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

/** A CQL2-JSON filter on eo:cloud_cover (`op` one of <, <=). */
export const cloudFilter = (op: "<" | "<=", max: number) => ({
  filter: { op, args: [{ property: "eo:cloud_cover" }, max] },
  "filter-lang": "cql2-json",
});

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
      ...cloudFilter("<", 30),
      limit: 10,
    },
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

/** Keys of a query file's entries that document, not query (as the pgstac peer harness allows). */
const isNote = (key: string) => key === "note" || key === "comment" || key.startsWith("_");

/**
 * Resolves `{"base": "Q3", "limit": 10, "page": 50}` entries of a query file against the others. Entries
 * whose id starts with `_` (e.g. `"_about": "…"`), and the keys `note`, `comment` and `_…` of an entry,
 * are documentation: they are left out, as the pgstac harness leaves them out.
 */
export function resolveQueries(spec: Record<string, unknown>): BenchQuery[] {
  const clean = (b: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(b).filter(([k]) => !isNote(k)));
  const out: BenchQuery[] = [];
  for (const [id, entry] of Object.entries(spec)) {
    if (id.startsWith("_")) continue;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry))
      throw new Error(`${id}: a query is a STAC search body (an object)`);
    const { base, page, ...rest } = clean(entry as Record<string, unknown>) as {
      base?: string;
      page?: number;
    } & Record<string, unknown>;
    if (base !== undefined) {
      const b = spec[base];
      if (typeof b !== "object" || b === null) throw new Error(`${id}: unknown base query ${base}`);
      out.push({ id, body: { ...clean(b as Record<string, unknown>), ...rest }, page: page ?? 1 });
    } else out.push({ id, body: rest, ...(page !== undefined && page > 1 ? { page } : {}) });
  }
  return out;
}

export function defaultQueries(): BenchQuery[] {
  const q3 = DEFAULT_QUERIES.find((q) => q.id === "Q3")!;
  return DEFAULT_QUERIES.map((q) => (q.id === "Q8" ? { ...q3, id: "Q8", page: 50 } : q));
}

/**
 * The side-by-side set (peer.ts): the default queries, but Q8 is page 50 of every item at limit 10 —
 * Q3 has no page 50 on a catalogue of under about a million items, nor on the `uniform` shape.
 */
export function peerQueries(): BenchQuery[] {
  return defaultQueries().map((q) => (q.id === "Q8" ? { id: "Q8", body: { limit: 10 }, page: 50 } : q));
}

/** Pages of each random search compared with brute force (a broad search at limit 1 has thousands). */
export const RANDOM_PAGES = 25;

/**
 * Seeded random searches over the generated archive, for the correctness mode: points, boxes and
 * triangles in the dense region, across the antimeridian, near the poles or anywhere; all time or a
 * day, month or year; all collections, one or two; page sizes 1–100; some with the cloud filter.
 */
export function randomQueries(seed: number, n: number): BenchQuery[] {
  let s = (seed * 2_654_435_761 + 97) >>> 0;
  const r = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const wrap = (x: number) => ((((x + 180) % 360) + 360) % 360) - 180;
  const collections = ["sentinel-1-grd", "sentinel-2-l2a", "sentinel-3-olci", "sentinel-5p-l2"];
  const out: BenchQuery[] = [];
  for (let i = 0; i < n; i++) {
    const region = r();
    const [x, y] =
      region < 0.3
        ? [12 + r() * 7, 48.5 + r() * 2.6]
        : region < 0.45
          ? [176 + r() * 8, -22 + r() * 8]
          : region < 0.6
            ? [r() * 360 - 180, (r() < 0.5 ? -1 : 1) * (75 + r() * 14.9)]
            : [r() * 360 - 180, Math.asin(2 * r() - 1) * (180 / Math.PI)];
    const w = pick([0.2, 1, 5, 20]);
    const [south, north] = [Math.max(-90, y - w / 4), Math.min(90, y + w / 4)];
    const area = pick([
      { intersects: { type: "Point", coordinates: [wrap(x), y] } },
      { bbox: [wrap(x - w / 2), south, wrap(x + w / 2), north] },
      {
        intersects: {
          type: "Polygon",
          coordinates: [
            [
              [wrap(x - w / 2), south],
              [wrap(x + w / 2), south],
              [wrap(x), north],
              [wrap(x - w / 2), south],
            ],
          ],
        },
      },
    ]);
    const start = Date.UTC(2016, 0, 1) + r() * 10 * 365 * 86_400_000;
    const span = pick([undefined, 86_400_000, 31 * 86_400_000, 365 * 86_400_000]);
    const named = pick([undefined, undefined, [pick(collections)], [pick(collections), pick(collections)]]);
    const body: Record<string, unknown> = {
      ...area,
      ...(span
        ? { datetime: `${new Date(start).toISOString()}/${new Date(start + span).toISOString()}` }
        : {}),
      ...(named ? { collections: [...new Set(named)] } : {}),
      limit: pick([1, 5, 10, 100]),
    };
    // A fifth filter on cloud cover: within the first band, at a band's bound, between bands, above them.
    if (r() < 0.2) Object.assign(body, cloudFilter(pick(["<", "<="] as const), pick([5, 10, 20, 30, 60])));
    // Every fifth oldest first (without drawing from the generator: the other searches stay as they were).
    if (i % 5 === 4) body["sortby"] = [{ field: "datetime", direction: "asc" }];
    out.push({ id: `R${i + 1}`, body });
  }
  return out;
}
