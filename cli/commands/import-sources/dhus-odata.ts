// A DHuS (ESA's Data Hub Software, or hexarchive's own DHuS facade) as an import source: its OData
// `Products` collection read `$top` at a time, oldest ingestion first (so products arriving during the
// import go to the end), filtered by `$filter`, with their attributes; each product made a STAC item
// (./dhus-item.ts). A product whose footprint cannot be read is reported by name, not fatal.
//
// Paging is by key, not by offset: a hub answers `$skip=N` by reading N products first, so offset
// paging costs the square of the hub's size. Each page asks for `IngestionDate ge` the last ingestion
// date read, ordered `IngestionDate asc,Name asc` (Name breaks ties, so the order is stable), and
// `$skip`s only the products of that very date already read. DHuS's OData layer (Olingo v2) makes SQL
// of each part (`>=` on its ingestion date, `ORDER BY` over both keys), and products sharing a date
// across a page boundary are neither lost nor read twice.
import type { Api } from "../../http.ts";
import { type DhusProductJson, dhusItem } from "./dhus-item.ts";
import type { Entry, ImportSource, SourcePage } from "./source.ts";

export interface DhusSourceOptions {
  /** The hub's root, e.g. https://scihub.example.org/dhus (what sentinelsat calls api_url). */
  url: string;
  /** An OData `$filter`, e.g. `substringof('S2B_MSIL2A',Name) and IngestionDate gt datetime'2024-01-01T00:00:00'`. */
  filter?: string | undefined;
  /** Products a request: DHuS serves at most 100. */
  pageSize: number;
  /** Where products go when the hub does not say. */
  collection?: string | undefined;
  /** The source needs sign-in: imported download links are marked so (STAC Authentication). */
  signedIn: boolean;
}

/** Where the next page starts: after `skip` products ingested at `after` (ISO, ms), or from the start. */
export interface DhusCursor {
  after?: string | undefined;
  skip: number;
}

/** A checkpoint's cursor; a bare number is an offset from an import that paged by `$skip` alone. */
function readCursor(c: unknown): DhusCursor {
  if (typeof c === "number") return { skip: c };
  if (c && typeof c === "object" && typeof (c as DhusCursor).skip === "number") {
    const { after, skip } = c as DhusCursor;
    return typeof after === "string" ? { after, skip } : { skip };
  }
  return { skip: 0 };
}

/** `/Date(1717581600123)/` (OData v2 JSON) → `2024-06-05T10:00:00.123`, as `datetime'…'` takes it. */
function ingestionDate(p: DhusProductJson): string | undefined {
  const m = /^\/Date\((-?\d+)\)\/$/.exec(String(p.IngestionDate ?? ""));
  return m ? new Date(Number(m[1])).toISOString().replace(/Z$/, "") : undefined;
}

/** The cursor after a page read from `at`: past the products of its last ingestion date read so far. */
export function nextCursor(at: DhusCursor, products: DhusProductJson[]): DhusCursor {
  const last = products.length ? ingestionDate(products[products.length - 1]!) : undefined;
  // No date to key on (a hub that leaves it out): plain offset paging from the same place.
  if (last === undefined) return { ...at, skip: at.skip + products.length };
  const same = products.filter((p) => ingestionDate(p) === last).length;
  // The whole page at the date it started from: those read before it count too.
  return { after: last, skip: same + (last === at.after ? at.skip : 0) };
}

export function dhusSource(api: Api, o: DhusSourceOptions): ImportSource {
  const base = o.url.replace(/\/+$/, "");
  const origin = new URL(base).origin;
  const itemOptions = {
    base,
    collection: o.collection,
    auth: o.signedIn ? { description: `User name and password of the DHuS at ${origin}` } : undefined,
  };
  return {
    describe: `DHuS ${base} ${o.filter ?? ""}${o.collection ? ` into ${o.collection}` : ""}`,
    // A hub has no collections to copy: each is made when its first product arrives.
    collections: async () => [],
    async collection(id) {
      return {
        type: "Collection",
        stac_version: "1.1.0",
        id,
        description: `Products imported from the DHuS at ${base}`,
        license: "other",
        extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
        links: [],
      };
    },
    async page(cursor): Promise<SourcePage> {
      const at = readCursor(cursor);
      // `$` written as it is: DHuS's own examples do, and not every server decodes `%24` in a name.
      const params: [string, string][] = [
        ["$format", "json"],
        ["$skip", String(at.skip)],
        ["$top", String(o.pageSize)],
        ["$orderby", "IngestionDate asc,Name asc"],
        ["$expand", "Attributes"],
      ];
      const from = at.after === undefined ? undefined : `IngestionDate ge datetime'${at.after}'`;
      const filter = [o.filter && `(${o.filter})`, from].filter(Boolean).join(" and ");
      if (filter) params.push(["$filter", filter]);
      const query = params.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
      const page = await api.json<{ d?: { results?: DhusProductJson[] } }>(
        `${base}/odata/v1/Products?${query}`,
      );
      const products = page.d?.results ?? [];
      const entries: Entry[] = products.map((p) => {
        try {
          return { item: dhusItem(p, itemOptions) };
        } catch (e) {
          return { failed: { name: p.Name ?? p.Id, reason: (e as Error).message } };
        }
      });
      return { entries, next: products.length < o.pageSize ? undefined : nextCursor(at, products) };
    },
  };
}
