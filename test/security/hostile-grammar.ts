// Hostile requests, generated: a grammar of valid requests for every route (STAC core, search, aggregate,
// queryables, items, downloads, transactions, operators, DHuS OpenSearch and OData), each then mutated
// zero to four times (path segments, parameters, JSON bodies, tokens, methods, headers) by a seeded
// random source, so that a seed and a count name the exact sequence of requests.

import { jsonDepthExceeds } from "../../shared/http/json-input.ts";

export type Rand = () => number;

/** Everything the grammar draws real names from: what the suite seeded into the stack. */
export interface World {
  collections: string[];
  /** [collection, item id, asset keys, file paths inside the product] */
  items: { collection: string; id: string; assets: string[]; files: string[] }[];
  dhusUuids: string[];
  /** Paging tokens the API issued, for tampering. */
  tokens: string[];
  /**
   * Authorization header values of each principal: [bearer JWT, HTTP Basic]. Basic costs a scrypt
   * hash on the local stack (~50 ms of CPU), so one request in fifty sends Basic, the rest the bearer token.
   */
  auth: Record<Who, [string, string]>;
  /** Collection the write routes mostly target (emptied and refilled by the run itself). */
  scratch: string;
}

export type Who = "user" | "operator" | "partner";

export interface HostileRequest {
  method: string;
  /** Raw path segments, already percent-encoded (mutations may break the encoding). */
  segments: string[];
  /** Raw key=value pairs, already encoded. */
  query: [string, string][];
  headers: Record<string, string>;
  body?: string;
  /** Which template produced it (for the report), e.g. "POST /search". */
  route: string;
}

export const pathOf = (r: HostileRequest): string => {
  const qs = r.query.map(([k, v]) => `${k}=${v}`).join("&");
  return `/${r.segments.join("/")}${qs ? `?${qs}` : ""}`;
};

// ---- random helpers ----------------------------------------------------------------------------

export function rng(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const chance = (r: Rand, p: number) => r() < p;
const enc = encodeURIComponent;
const as = (r: Rand, w: World, who: Who) => w.auth[who][chance(r, 0.02) ? 1 : 0];
const num = (r: Rand, lo: number, hi: number, digits = 3) => Number((lo + r() * (hi - lo)).toFixed(digits));

// ---- valid values --------------------------------------------------------------------------------

function bbox(r: Rand): number[] {
  const w = num(r, -180, 170);
  const s = num(r, -90, 80);
  return [w, s, Math.min(180, w + num(r, 0.1, 40)), Math.min(90, s + num(r, 0.1, 30))];
}

function polygon(r: Rand): object {
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

const geometry = (r: Rand): object =>
  chance(r, 0.3) ? { type: "Point", coordinates: [num(r, -180, 180), num(r, -90, 90)] } : polygon(r);

function instant(r: Rand): string {
  const y = int(r, 2015, 2026);
  const m = String(int(r, 1, 12)).padStart(2, "0");
  const d = String(int(r, 1, 28)).padStart(2, "0");
  return `${y}-${m}-${d}T${String(int(r, 0, 23)).padStart(2, "0")}:00:00Z`;
}

function datetime(r: Rand): string {
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
const AGGS = [
  "total_count",
  "datetime_frequency",
  "collection_frequency,total_count",
  "cloud_cover_frequency",
];

/** Item Search parameters as decoded values; a body keeps them, a query string encodes them. */
function searchParams(r: Rand, w: World, body: boolean, inCollection: boolean): Record<string, unknown> {
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

const toQuery = (p: Record<string, unknown>): [string, string][] =>
  Object.entries(p).map(([k, v]) => [enc(k), enc(String(v))]);

// ---- the grammar: one valid request per route ------------------------------------------------------

type Template = (r: Rand, w: World) => Omit<HostileRequest, "route"> & { route?: string };

const json = { "content-type": "application/json" };

function item(r: Rand, id: string, collection: string): object {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id,
    collection,
    geometry: polygon(r),
    properties: { datetime: instant(r), "eo:cloud_cover": int(r, 0, 100), title: `hostile ${id}` },
    links: [],
    assets: { data: { href: `https://example.com/${id}.tif`, type: "image/tiff" } },
  };
}

function collection(id: string): object {
  return {
    type: "Collection",
    stac_version: "1.1.0",
    id,
    description: "made by the hostile-input suite",
    license: "CC-BY-4.0",
    extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
    links: [],
  };
}

const anyItem = (r: Rand, w: World) => pick(r, w.items);
const get = (segments: string[], query: [string, string][] = []) => ({
  method: "GET",
  segments,
  query,
  headers: {},
});

const TEMPLATES: [string, number, Template][] = [
  ["GET /", 1, () => get([""])],
  ["GET /conformance", 1, () => get(["conformance"])],
  ["GET /api", 1, (r) => get([pick(r, ["api", "api.html"])])],
  [
    "GET /collections",
    3,
    (r, w) => {
      const q: Record<string, unknown> = {};
      if (chance(r, 0.3)) q["bbox"] = bbox(r).join(",");
      if (chance(r, 0.3)) q["datetime"] = datetime(r);
      if (chance(r, 0.3)) q["q"] = pick(r, ["optical", "radar,sar", "sentinel"]);
      if (chance(r, 0.5)) q["limit"] = String(int(r, 1, 3));
      if (chance(r, 0.3) && w.tokens.length) q["token"] = pick(r, w.tokens);
      return get(["collections"], toQuery(q));
    },
  ],
  ["GET /collections/{c}", 2, (r, w) => get(["collections", enc(pick(r, w.collections))])],
  [
    "GET /collections/{c}/items",
    4,
    (r, w) => {
      const c = pick(r, w.collections);
      return get(["collections", enc(c), "items"], toQuery(searchParams(r, w, false, true)));
    },
  ],
  [
    "GET /collections/{c}/items/{i}",
    3,
    (r, w) => {
      const i = anyItem(r, w);
      return get(["collections", enc(i.collection), "items", enc(i.id)]);
    },
  ],
  [
    "GET /collections/{c}/items/{i}/assets/{a}",
    3,
    (r, w) => {
      const i = anyItem(r, w);
      return get(["collections", enc(i.collection), "items", enc(i.id), "assets", enc(pick(r, i.assets))]);
    },
  ],
  [
    "GET /collections/{c}/items/{i}/files",
    2,
    (r, w) => {
      const i = anyItem(r, w);
      const file = i.files.length && chance(r, 0.7) ? pick(r, i.files).split("/").map(enc) : [];
      return get(["collections", enc(i.collection), "items", enc(i.id), "files", ...file]);
    },
  ],
  [
    "GET /collections/{c}/queryables|aggregations",
    2,
    (r, w) => get(["collections", enc(pick(r, w.collections)), pick(r, ["queryables", "aggregations"])]),
  ],
  [
    "GET /collections/{c}/aggregate",
    2,
    (r, w) => {
      const p = searchParams(r, w, false, true);
      delete p["token"];
      return get(
        ["collections", enc(pick(r, w.collections)), "aggregate"],
        [...toQuery(p), ["aggregations", enc(pick(r, AGGS))]],
      );
    },
  ],
  ["GET /search", 10, (r, w) => get(["search"], toQuery(searchParams(r, w, false, false)))],
  [
    "POST /search",
    10,
    (r, w) => ({
      method: "POST",
      segments: ["search"],
      query: [],
      headers: json,
      body: JSON.stringify(searchParams(r, w, true, false)),
    }),
  ],
  ["GET /queryables|aggregations", 2, (r) => get([pick(r, ["queryables", "aggregations"])])],
  [
    "GET /aggregate",
    3,
    (r, w) => {
      const p = searchParams(r, w, false, false);
      delete p["token"];
      return get(["aggregate"], [...toQuery(p), ["aggregations", enc(pick(r, AGGS))]]);
    },
  ],
  [
    "POST /aggregate",
    3,
    (r, w) => {
      const p = searchParams(r, w, true, false);
      delete p["token"];
      return {
        method: "POST",
        segments: ["aggregate"],
        query: [],
        headers: json,
        body: JSON.stringify({ ...p, aggregations: pick(r, AGGS).split(",") }),
      };
    },
  ],
  [
    "GET /admin/*",
    4,
    (r, w) => {
      const q: [string, string][] = [];
      // Recent periods: ten years of statistics are 121 partition reads (bounded, but slow here).
      if (chance(r, 0.5)) q.push(["from", `${int(r, 2025, 2026)}-0${int(r, 1, 9)}-01`]);
      if (chance(r, 0.5)) q.push(["to", enc(instant(r))]);
      if (chance(r, 0.3)) q.push(["limit", String(int(r, 1, 20))]);
      const page = pick(r, [
        "stats/downloads",
        "stats/top-products",
        "stats/users",
        "stats/search-params",
        "failures",
      ]);
      return { ...get(["admin", ...page.split("/")], q), headers: { authorization: as(r, w, "operator") } };
    },
  ],
  [
    "POST /collections/{c}/items",
    3,
    (r, w) => {
      const id = `h-${int(r, 0, 50)}`;
      const body = chance(r, 0.3)
        ? {
            type: "FeatureCollection",
            features: [item(r, `${id}a`, w.scratch), item(r, `${id}b`, w.scratch)],
          }
        : item(r, id, w.scratch);
      return {
        method: "POST",
        segments: ["collections", enc(w.scratch), "items"],
        query: [],
        headers: { ...json, authorization: as(r, w, "operator") },
        body: JSON.stringify(body),
      };
    },
  ],
  [
    "PUT|PATCH|DELETE /collections/{c}/items/{i}",
    3,
    (r, w) => {
      const id = `h-${int(r, 0, 50)}`;
      const method = pick(r, ["PUT", "PATCH", "DELETE"]);
      const body =
        method === "PUT"
          ? JSON.stringify(item(r, id, w.scratch))
          : method === "PATCH"
            ? JSON.stringify({ properties: { title: `patched ${int(r, 0, 9)}`, "eo:cloud_cover": null } })
            : undefined;
      return {
        method,
        segments: ["collections", enc(w.scratch), "items", enc(id)],
        query: [],
        headers: {
          ...(method === "PATCH" ? { "content-type": "application/merge-patch+json" } : json),
          authorization: as(r, w, "operator"),
        },
        ...(body === undefined ? {} : { body }),
      };
    },
  ],
  [
    "POST|PUT|PATCH|DELETE /collections[/{c}]",
    2,
    (r, w) => {
      const id = `hostile-${int(r, 0, 5)}`;
      const method = pick(r, ["POST", "PUT", "PATCH", "DELETE"]);
      const body =
        method === "PATCH" ? JSON.stringify({ title: `t${int(r, 0, 9)}` }) : JSON.stringify(collection(id));
      return {
        method,
        segments: method === "POST" ? ["collections"] : ["collections", enc(id)],
        query: [],
        headers: { ...json, authorization: as(r, w, "operator") },
        ...(method === "DELETE" ? {} : { body }),
      };
    },
  ],
  [
    "GET /dhus/search",
    5,
    (r, w) => {
      const q = pick(r, [
        "*",
        "platformname:Sentinel-2",
        "beginposition:[2024-01-01T00:00:00.000Z TO NOW]",
        'footprint:"Intersects(POLYGON((10 40,20 40,20 55,10 55,10 40)))"',
        "cloudcoverpercentage:[0 TO 30] AND producttype:S2MSI2A",
        "(platformname:Sentinel-1 OR platformname:Sentinel-2) AND NOT filename:x*",
      ]);
      const query: [string, string][] = [["q", enc(q)]];
      if (chance(r, 0.5)) query.push(["rows", String(int(r, 0, 100))]);
      if (chance(r, 0.5)) query.push(["start", String(int(r, 0, 20))]);
      if (chance(r, 0.5)) query.push(["format", pick(r, ["json", "xml"])]);
      if (chance(r, 0.3)) query.push(["orderby", enc(pick(r, ["beginposition desc", "ingestiondate asc"]))]);
      return {
        ...get(["dhus", "search"], query),
        headers: { authorization: as(r, w, pick(r, ["user", "partner"] as const)) },
      };
    },
  ],
  [
    "GET /dhus/odata/v1/...",
    6,
    (r, w) => {
      const uuid = w.dhusUuids.length ? pick(r, w.dhusUuids) : "00000000-0000-8000-8000-000000000000";
      const tail = pick(r, [
        "",
        "/$value",
        "/Online/$value",
        "/Checksum",
        "/Attributes",
        "/Attributes('Cloud cover percentage')/Value",
        "/Products('Quicklook')/$value",
        "/Nodes",
        "/Nodes('x')/Nodes",
      ]);
      const path = `Products('${uuid}')${tail}`;
      const query: [string, string][] = chance(r, 0.2) ? [["$expand", "Attributes"]] : [];
      return {
        ...get(
          ["dhus", "odata", "v1", ...path.split("/").map((s) => s.replace(/[ ']/g, (c) => enc(c)))],
          query,
        ),
        headers: { authorization: as(r, w, pick(r, ["user", "partner", "operator"] as const)) },
      };
    },
  ],
  [
    "GET /dhus/api/stub/version",
    1,
    (r, w) => ({ ...get(["dhus", "api", "stub", "version"]), headers: { authorization: as(r, w, "user") } }),
  ],
];

const TOTAL_WEIGHT = TEMPLATES.reduce((n, [, wt]) => n + wt, 0);

// ---- mutations -------------------------------------------------------------------------------------

const deepArray = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

/** Raw (already encoded) strings for path segments and parameter values. */
function hostileRaw(r: Rand, w: World): string {
  return pick(r, [
    () => "",
    () => "%ZZ",
    () => "%",
    () => "%C3%28",
    () => "%E0%A4%A",
    () => "%00",
    () => "%2e%2e",
    () => "..",
    () => enc("a".repeat(int(r, 1000, 4000))),
    () => enc("ä".repeat(int(r, 300, 700))),
    () => enc("😀🛰"),
    () => enc(`${pick(r, w.collections)} `),
    () => enc(` ${pick(r, w.collections)}`),
    () => enc(pick(r, w.collections).toUpperCase()),
    () => enc("' OR 1=1 --"),
    () => enc("<script>alert(1)</script>"),
    () =>
      pick(r, [
        "null",
        "true",
        "-1",
        "0",
        "1e309",
        "NaN",
        "Infinity",
        "-0",
        "0x10",
        "1.5",
        "10001",
        "99999999999999999999",
      ]),
    () =>
      enc(
        pick(r, [
          "9999-12-31",
          "0000-01-01",
          "+275760-09-13T00:00:00Z",
          "2024-02-30",
          "../..",
          "/",
          "2024-01-01T25:00:00Z",
        ]),
      ),
    () =>
      enc(pick(r, ["[]", "{}", "[1]", '{"type":"Point"}', '{"type":"Polygon","coordinates":[[]]}', '"x"'])),
    () => enc(deepArray(int(r, 200, 3000))),
    () => enc(deepObject(int(r, 200, 2000))),
    () => enc("(".repeat(int(r, 50, 2000))),
    () => enc("NOT ".repeat(int(r, 50, 1500))),
    () => enc(`${"a,".repeat(int(r, 100, 1500))}a`),
    () =>
      enc(
        `POLYGON((${Array.from({ length: int(r, 100, 600) }, (_, i) => `${i % 180} ${i % 90}`).join(",")}))`,
      ),
    () => (w.tokens.length ? pick(r, w.tokens) : "x"),
  ])();
}

/** Decoded JSON values to put into bodies. */
function hostileJson(r: Rand, w: World): unknown {
  return pick(r, [
    () => null,
    () => [],
    () => ({}),
    () => "",
    () => true,
    () => -1,
    () => 0,
    () => 1e308,
    () => -1e308,
    () => 1.5,
    () => "a".repeat(int(r, 1000, 3000)),
    () => [pick(r, w.collections), "x".repeat(2000)],
    () => Array.from({ length: int(r, 100, 2000) }, (_, i) => `id-${i}`),
    () => Array.from({ length: int(r, 10, 20000) }, () => int(r, -200, 200)),
    () => JSON.parse(deepArray(int(r, 10, 200))),
    () => ({ type: "Polygon", coordinates: JSON.parse(deepArray(int(r, 3, 100))) }),
    () => ({
      type: "MultiPolygon",
      coordinates: [[Array.from({ length: int(r, 4, 20000) }, (_, i) => [(i % 360) - 180, (i % 180) - 90])]],
    }),
    () => ({ type: "GeometryCollection", geometries: [{ type: "GeometryCollection", geometries: [] }] }),
    () => ({
      op: "and",
      args: Array.from({ length: int(r, 100, 3000) }, () => ({ op: "=", args: [{ property: "id" }, "x"] })),
    }),
    () => ({ op: "not", args: [{ op: "not", args: [{ op: "=", args: [{ property: "a" }, 1] }] }] }),
    () => ({ "eo:cloud_cover": { lt: { b: 1 } } }),
    () => ({ "eo:cloud_cover": { in: Array.from({ length: 5000 }, (_, i) => i) } }),
    () => ({ property: "__proto__" }),
    () => JSON.parse('{"__proto__":{"polluted":1}}'),
    () => ({ timestamp: "+275760-09-13T00:00:00Z" }),
    () => ({ interval: ["..", ".."] }),
    () => [{ field: "x".repeat(500), direction: "sideways" }],
    () => hostileRaw(r, w),
    () => (w.tokens.length ? forgeToken(r, pick(r, w.tokens)) : "x"),
  ])();
}

/** A token changed the ways an attacker would: flipped, truncated, re-signed by nobody, forged. */
function forgeToken(r: Rand, token: string): string {
  const [payload = "", mac = ""] = token.split(".");
  const flip = (s: string) => {
    if (s.length === 0) return "A";
    const i = int(r, 0, s.length - 1);
    return s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
  };
  let search = "";
  try {
    search = (JSON.parse(Buffer.from(payload, "base64url").toString()) as { s: string }).s;
  } catch {}
  const forged = (p: unknown) => Buffer.from(JSON.stringify({ p, s: search })).toString("base64url");
  return pick(r, [
    () => flip(token),
    () => `${flip(payload)}.${mac}`,
    () => `${payload}.${flip(mac)}`,
    () => token.slice(0, int(r, 0, token.length - 1)),
    () => forged([{}, [], 1]),
    () => `${forged(["9999-12-31T00:00:00Z", "x", "y"])}.${mac}`,
    () => forged([null, null, null]),
    () => `${token}${token}`,
    () => Buffer.from("not json").toString("base64url"),
  ])();
}

/** Replaces a random node of a JSON value (objects and arrays are walked a few levels). */
function mutateJson(r: Rand, w: World, v: unknown, depth = 0): unknown {
  if (depth > 3 || typeof v !== "object" || v === null || chance(r, 0.3)) return hostileJson(r, w);
  if (Array.isArray(v)) {
    if (v.length === 0) return [hostileJson(r, w)];
    const out = [...v];
    const i = int(r, 0, out.length - 1);
    out[i] = mutateJson(r, w, out[i], depth + 1);
    return out;
  }
  const o = { ...(v as Record<string, unknown>) };
  const keys = Object.keys(o);
  const action = r();
  if (keys.length === 0 || action < 0.15)
    o[
      pick(r, [
        "collections",
        "ids",
        "bbox",
        "intersects",
        "filter",
        "query",
        "token",
        "limit",
        "sortby",
        "zzz",
      ])
    ] = hostileJson(r, w);
  else if (action < 0.25) delete o[pick(r, keys)];
  else {
    const k = pick(r, keys);
    o[k] = mutateJson(r, w, o[k], depth + 1);
  }
  return o;
}

function mutateBody(r: Rand, w: World, req: HostileRequest): void {
  const whole = r();
  if (whole < 0.12) {
    req.body = pick(r, [
      "null",
      "[]",
      '"search"',
      "42",
      "true",
      "",
      "{",
      '{"a":',
      "{}}",
      "\u0000",
      "\ufeff{}",
    ]);
    return;
  }
  if (whole < 0.2) {
    req.body = pick(r, [
      () => deepArray(int(r, 300, 100_000)),
      () => `{"filter":${deepObject(int(r, 300, 50_000))}}`,
      () => `{"query":${deepObject(int(r, 300, 20_000))}}`,
      () => `{"intersects":{"type":"Polygon","coordinates":${deepArray(int(r, 300, 50_000))}}}`,
      () => JSON.stringify({ pad: "x".repeat(int(r, 400_000, 1_200_000)) }),
      () =>
        JSON.stringify({
          type: "Feature",
          id: "big",
          stac_version: "1.1.0",
          geometry: { type: "Point", coordinates: [0, 0] },
          properties: { datetime: "2024-01-01T00:00:00Z", pad: "x".repeat(int(r, 300_000, 600_000)) },
          links: [],
          assets: {},
        }),
    ])();
    return;
  }
  let v: unknown = {};
  try {
    // A body an earlier mutation nested too deeply for JSON.stringify starts again from {}.
    if (!jsonDepthExceeds(req.body ?? "", 1000)) v = JSON.parse(req.body ?? "{}");
  } catch {}
  const out = JSON.stringify(mutateJson(r, w, v));
  req.body = chance(r, 0.08) ? out.slice(0, int(r, 0, out.length)) : out;
}

function mutate(r: Rand, w: World, req: HostileRequest): void {
  const k = r();
  if (k < 0.22 && req.segments.length > 0) {
    // A path segment.
    const i = int(r, 0, req.segments.length - 1);
    req.segments[i] = hostileRaw(r, w);
  } else if (k < 0.27) {
    if (chance(r, 0.5)) req.segments.push(hostileRaw(r, w));
    else req.segments.pop();
  } else if (k < 0.5) {
    // A parameter: replaced, added, duplicated, removed or cut short.
    const a = r();
    if (req.query.length > 0 && a < 0.45) {
      const i = int(r, 0, req.query.length - 1);
      req.query[i] = [req.query[i]![0], hostileRaw(r, w)];
    } else if (a < 0.7) {
      const name = pick(r, [
        "collections",
        "ids",
        "bbox",
        "intersects",
        "datetime",
        "limit",
        "token",
        "filter",
        "filter-lang",
        "filter-crs",
        "query",
        "sortby",
        "fields",
        "q",
        "aggregations",
        "from",
        "to",
        "rows",
        "start",
        "format",
        "orderby",
        "$expand",
        "zzz",
        "%ZZ",
      ]);
      req.query.push([name, hostileRaw(r, w)]);
    } else if (req.query.length > 0 && a < 0.8) req.query.push(pick(r, req.query));
    else if (req.query.length > 0 && a < 0.9) req.query.splice(int(r, 0, req.query.length - 1), 1);
    else if (req.query.length > 0) {
      const i = int(r, 0, req.query.length - 1);
      const [name, value] = req.query[i]!;
      req.query[i] = [name, value.slice(0, int(r, 0, value.length))];
    }
  } else if (k < 0.58) {
    // The paging token.
    const i = req.query.findIndex(([n]) => n === "token");
    const token = w.tokens.length ? forgeToken(r, pick(r, w.tokens)) : "x";
    if (req.body !== undefined && req.method === "POST") {
      try {
        req.body = JSON.stringify({ ...JSON.parse(req.body), token });
        return;
      } catch {}
    }
    if (i >= 0) req.query[i] = ["token", enc(token)];
    else req.query.push(["token", enc(token)]);
  } else if (k < 0.78) {
    if (req.body === undefined && chance(r, 0.5)) req.body = JSON.stringify(hostileJson(r, w));
    else mutateBody(r, w, req);
  } else if (k < 0.86) {
    req.method = pick(r, ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
    if ((req.method === "GET" || req.method === "HEAD") && req.body !== undefined) delete req.body;
  } else {
    // Credentials and other headers.
    const h = pick(r, [
      () => ({ authorization: as(r, w, pick(r, ["user", "partner", "operator"] as const)) }),
      () => ({ authorization: chance(r, 0.2) ? "Basic bm9ib2R5Om5vcGU=" : "Basic bm9ib2R5" }),
      () => ({
        authorization: pick(r, ["Basic", "Basic !!!", "Bearer", "Bearer x.y.z", "Digest a=b", "Basic Og=="]),
      }),
      () => ({ authorization: `Bearer ${"a".repeat(int(r, 100, 6000))}.${"b".repeat(50)}.c` }),
      () => ({
        authorization: `Bearer ${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"x","cognito:groups":["operators"]}').toString("base64url")}.`,
      }),
      () => ({
        "content-type": pick(r, [
          "text/plain",
          "application/json-patch+json",
          "application/xml",
          "multipart/form-data; boundary=x",
          "",
        ]),
      }),
      () => ({ "accept-encoding": pick(r, ["br;q=0, gzip;q=0", "*;q=0", "gzip;q=abc", "identity"]) }),
      () => ({ range: pick(r, ["bytes=0-1", "bytes=-5", "bytes=9999999999-", "bytes=a-b", "lines=1-2"]) }),
      () => ({ "x-forwarded-host": "evil.example" }),
    ])();
    if (chance(r, 0.2)) delete req.headers["authorization"];
    Object.assign(req.headers, h);
  }
}

/**
 * Request `n` of the sequence of `seed`: a route picked by weight, then 0–5 mutations. One in twenty-five
 * stays valid: valid searches cost the local stack ~25 ms of CPU against ~2 ms for a refusal, and the
 * suite must fit CI's time.
 */
export function generate(seed: number, n: number, w: World): HostileRequest {
  const r = rng((seed * 1_000_003 + n) >>> 0);
  let x = r() * TOTAL_WEIGHT;
  let chosen = TEMPLATES[0]!;
  for (const t of TEMPLATES) {
    x -= t[1];
    if (x < 0) {
      chosen = t;
      break;
    }
  }
  const [route, , template] = chosen;
  const base = template(r, w);
  const req: HostileRequest = {
    ...base,
    headers: { ...base.headers },
    query: [...base.query],
    segments: [...base.segments],
    route,
  };
  const mutations = chance(r, 0.04) ? 0 : int(r, 1, 5);
  for (let i = 0; i < mutations; i++) mutate(r, w, req);
  // Anonymous or not: a third of the requests drop whatever credentials their route sent.
  if (chance(r, 0.33)) delete req.headers["authorization"];
  return req;
}

export const ROUTES = TEMPLATES.map(([route]) => route);
