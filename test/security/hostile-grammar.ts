// Hostile requests, generated: a grammar of valid requests for every route (STAC core, search, aggregate,
// queryables, items, downloads, transactions, operators, DHuS OpenSearch and OData), each then mutated
// (hostile-mutations.ts) by a seeded random source, so that a seed and a count name the exact sequence.
import { mutate } from "./hostile-mutations.ts";
import { AGGS, bbox, datetime, instant, polygon, searchParams, toQuery } from "./hostile-values.ts";
import {
  as,
  chance,
  enc,
  type HostileRequest,
  int,
  pick,
  type Rand,
  rng,
  type World,
} from "./hostile-world.ts";

export { type HostileRequest, pathOf, type World } from "./hostile-world.ts";

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
  [
    "POST /search/download-list",
    3,
    (r, w) => ({
      method: "POST",
      segments: ["search", "download-list"],
      query: [["format", pick(r, ["metalink", "aria2", "csv", ""])]],
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
