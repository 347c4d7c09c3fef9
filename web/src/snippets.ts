// The page's current search repeated as a curl command and a pystac-client script.
import { type SearchState, searchParams } from "./state.ts";

export function curlSnippet(api: string, s: SearchState): string {
  const p = searchParams({ ...s, token: undefined });
  return `curl -s '${api}/search?${p.toString().replace(/'/g, "%27")}'`;
}

const py = (v: string) => JSON.stringify(v);

export function pystacSnippet(api: string, s: SearchState): string {
  const p = searchParams({ ...s, token: undefined });
  const args: string[] = [`max_items=${p.get("limit")}`];
  if (s.bbox) args.push(`bbox=[${p.get("bbox")}]`);
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
