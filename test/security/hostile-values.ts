// Valid values for the grammar: areas, instants and intervals, CQL2 filters, sorts, fields and the
// Item Search parameters built from them, spelled for a query string or a JSON body.
import { chance, enc, int, num, pick, type Rand, type World } from "./hostile-world.ts";

export function bbox(r: Rand): number[] {
  const w = num(r, -180, 170);
  const s = num(r, -90, 80);
  return [w, s, Math.min(180, w + num(r, 0.1, 40)), Math.min(90, s + num(r, 0.1, 30))];
}

export function polygon(r: Rand): object {
  const [w, s, e, n] = bbox(r) as [number, number, number, number];
  return {
    type: "Polygon",
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

export const geometry = (r: Rand): object =>
  chance(r, 0.3) ? { type: "Point", coordinates: [num(r, -180, 180), num(r, -90, 90)] } : polygon(r);

export function instant(r: Rand): string {
  const y = int(r, 2015, 2026);
  const m = String(int(r, 1, 12)).padStart(2, "0");
  const d = String(int(r, 1, 28)).padStart(2, "0");
  return `${y}-${m}-${d}T${String(int(r, 0, 23)).padStart(2, "0")}:00:00Z`;
}

export function datetime(r: Rand): string {
  const a = instant(r);
  const b = instant(r);
  const [from, to] = a < b ? [a, b] : [b, a];
  return pick(r, [a, `${from}/${to}`, `../${to}`, `${from}/..`]);
}

const FILTERS_TEXT = [
  "eo:cloud_cover < 30",
  "id = 'scene-01'",
  "platform IN ('sentinel-2a','sentinel-1a')",
  "title LIKE 'Scene%'",
  "CASEI(title) = casei('SCENE 3')",
  "T_AFTER(datetime, TIMESTAMP('2024-01-05T00:00:00Z'))",
  "S_INTERSECTS(geometry, POLYGON((-20 30, 20 30, 20 60, -20 60, -20 30)))",
  "view:sun_elevation BETWEEN 20 AND 30 AND NOT (sat:relative_orbit = 2)",
  "keywords = 'optical' OR eo:cloud_cover >= 50",
];

const filterJson = (r: Rand): object =>
  pick(r, [
    { op: "<", args: [{ property: "eo:cloud_cover" }, int(r, 0, 100)] },
    { op: "=", args: [{ property: "id" }, "scene-02"] },
    { op: "s_intersects", args: [{ property: "geometry" }, geometry(r)] },
    {
      op: "and",
      args: [
        { op: "t_after", args: [{ property: "datetime" }, { timestamp: instant(r) }] },
        { op: "in", args: [{ property: "platform" }, ["sentinel-2a", "sentinel-2b"]] },
      ],
    },
  ]);

const SORTS = ["-datetime", "+id", "datetime", "-properties.eo:cloud_cover", "title,-id"];
const FIELDS = ["id,-geometry", "properties.eo:cloud_cover", "-assets", "id,collection"];
export const AGGS = [
  "total_count",
  "datetime_frequency",
  "collection_frequency,total_count",
  "cloud_cover_frequency",
];

/** Item Search parameters as decoded values; a body keeps them, a query string encodes them. */
export function searchParams(
  r: Rand,
  w: World,
  body: boolean,
  inCollection: boolean,
): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (!inCollection && chance(r, 0.5)) {
    const cs = w.collections.filter(() => chance(r, 0.5));
    p["collections"] = body
      ? cs.length
        ? cs
        : [w.collections[0]]
      : (cs.length ? cs : [w.collections[0]]).join(",");
  }
  if (!inCollection && chance(r, 0.15)) {
    const ids = w.items.filter(() => chance(r, 0.3)).map((i) => i.id);
    p["ids"] = body ? [...ids, "nope"] : [...ids, "nope"].join(",");
  }
  if (chance(r, 0.3)) p["bbox"] = body ? bbox(r) : bbox(r).join(",");
  else if (!inCollection && chance(r, 0.2))
    p["intersects"] = body ? geometry(r) : JSON.stringify(geometry(r));
  if (chance(r, 0.4)) p["datetime"] = datetime(r);
  if (chance(r, 0.6)) p["limit"] = body ? int(r, 1, 50) : String(pick(r, [1, 2, 5, 10, 100, 10000]));
  if (chance(r, 0.25)) {
    if (body) p["filter"] = filterJson(r);
    else if (chance(r, 0.7)) p["filter"] = pick(r, FILTERS_TEXT);
    else {
      p["filter-lang"] = "cql2-json";
      p["filter"] = JSON.stringify(filterJson(r));
    }
  }
  if (chance(r, 0.15)) {
    const q = { "eo:cloud_cover": { lt: int(r, 0, 100) } };
    p["query"] = body ? q : JSON.stringify(q);
  }
  if (chance(r, 0.2)) {
    const s = pick(r, SORTS);
    p["sortby"] = body
      ? s.split(",").map((k) => ({
          field: k.replace(/^[-+]/, ""),
          direction: k.startsWith("-") ? "desc" : "asc",
        }))
      : s;
  }
  if (chance(r, 0.15)) {
    const f = pick(r, FIELDS);
    p["fields"] = body
      ? {
          include: f.split(",").filter((x) => !x.startsWith("-")),
          exclude: f
            .split(",")
            .filter((x) => x.startsWith("-"))
            .map((x) => x.slice(1)),
        }
      : f;
  }
  if (chance(r, 0.15)) p["q"] = body ? ["river", "scene"] : "river,scene";
  if (chance(r, 0.2) && w.tokens.length > 0) p["token"] = pick(r, w.tokens);
  return p;
}

export const toQuery = (p: Record<string, unknown>): [string, string][] =>
  Object.entries(p).map(([k, v]) => [enc(k), enc(String(v))]);
