// The page's current search repeated as a curl command, a pystac-client script and a sentinelsat one
// (against the API's DHuS facade at `<api>/dhus/`). A drawn, pasted or country area goes with them:
// as a POST body for curl, `intersects` for pystac-client, WKT for sentinelsat.
import type { MultiPolygon } from "geojson";
import { type SearchState, searchBody, searchParams } from "./state.ts";
import { toWkt } from "./wkt.ts";

const shellQuote = (v: string) => `'${v.replace(/'/g, "'\\''")}'`;

export function curlSnippet(api: string, s: SearchState, area?: MultiPolygon): string {
  if (area) {
    const body = JSON.stringify(searchBody({ ...s, token: undefined }, area));
    return `curl -s ${shellQuote(`${api}/search`)} -H 'content-type: application/json' -d ${shellQuote(body)}`;
  }
  const p = searchParams({ ...s, token: undefined });
  return `curl -s '${api}/search?${p.toString().replace(/'/g, "%27")}'`;
}

const py = (v: string) => JSON.stringify(v);

export function pystacSnippet(api: string, s: SearchState, area?: MultiPolygon): string {
  const p = searchParams({ ...s, token: undefined });
  const args: string[] = [`max_items=${p.get("limit")}`];
  // GeoJSON of numbers and strings only: a Python literal as it stands.
  if (area) args.push(`intersects=${JSON.stringify(area)}`);
  else if (s.bbox) args.push(`bbox=[${p.get("bbox")}]`);
  if (s.collections.length) args.push(`collections=[${s.collections.map(py).join(", ")}]`);
  const dt = p.get("datetime");
  if (dt) args.push(`datetime=${py(dt)}`);
  const filter = p.get("filter");
  if (filter) args.push(`filter=${py(filter)}`, `filter_lang="cql2-text"`);
  if (s.q) args.push(`q=${py(s.q)}`);
  if (s.sort) args.push(`sortby=${py(s.sort)}`);
  return [
    "from pystac_client import Client",
    "",
    `catalog = Client.open(${py(`${api}/`)})`,
    `search = catalog.search(${args.join(", ")})`,
    "print(search.matched())",
    "for item in search.items():",
    "    print(item.id, item.datetime)",
  ].join("\n");
}

/** `sentinel-2a` → `Sentinel-2A`: the DHuS satellite name of a STAC platform. */
const serialName = (platform: string) =>
  platform
    .replace(/(^|-)(\w)/g, (_, dash: string, c: string) => dash + c.toUpperCase())
    .replace(/(\d)([a-z])$/, (_, d: string, c: string) => d + c.toUpperCase());

const compactDate = (d: string) => d.replaceAll("-", "");

export function sentinelsatSnippet(api: string, s: SearchState, area?: MultiPolygon): string {
  const args: string[] = [];
  if (area) args.push(py(toWkt(area.coordinates)));
  else if (s.bbox) {
    const [w, so, e, n] = s.bbox;
    args.push(py(`POLYGON((${w} ${so},${e} ${so},${e} ${n},${w} ${n},${w} ${so}))`));
  }
  if (s.from || s.to)
    args.push(
      `date=(${py(s.from ? compactDate(s.from) : "*")}, ${py(s.to ? `${s.to}T23:59:59.999Z` : "NOW")})`,
    );
  if (s.platform) args.push(`platformserialidentifier=${py(serialName(s.platform))}`);
  if (s.ptype) args.push(`producttype=${py(s.ptype)}`);
  if (s.orbit) args.push(`orbitdirection=${py(s.orbit.toUpperCase())}`);
  if (s.relorbit !== undefined) args.push(`relativeorbitnumber=${s.relorbit}`);
  if (s.cloud !== undefined) args.push(`cloudcoverpercentage=(0, ${s.cloud})`);
  if (s.q) args.push(`raw=${py(s.q)}`);
  return [
    "from sentinelsat import SentinelAPI",
    "",
    `api = SentinelAPI("user", "password", ${py(`${api}/dhus/`)})`,
    `products = api.query(${args.join(", ")})`,
    'print(len(products), "products")',
    "for uuid, p in products.items():",
    '    print(uuid, p["title"])',
  ].join("\n");
}
