// The OData `Products` collection: every product the caller may see, `$skip`/`$top` paged (at most 100
// a page, as DHuS), filtered by `$filter` (./odata-filter.ts), ordered by `$orderby` (default oldest
// ingestion first, so that products arriving while a client pages go to the end), optionally with
// `$inlinecount=allpages` and `$expand=Attributes`. What bulk importers read (`hexarchive import --from-dhus`).
import { BadRequestError } from "../errors.ts";
import { type HttpRequest, type HttpResponse, json } from "../http/types.ts";
import { type DhusDeps, hubBase } from "./deps.ts";
import { productJson } from "./odata.ts";
import { odataOrderBy, parseODataFilter } from "./odata-filter.ts";
import { toProduct } from "./product.ts";
import { MAX_ROWS, searchProducts } from "./search.ts";

export async function listProducts(
  deps: DhusDeps,
  req: HttpRequest,
  canSee: (collection: string) => boolean,
): Promise<HttpResponse> {
  const top = count(req.query["$top"], "$top", 50, MAX_ROWS);
  const skip = count(req.query["$skip"], "$skip", 0, Number.MAX_SAFE_INTEGER);
  const node = parseODataFilter(req.query["$filter"] ?? "");
  const orderby = odataOrderBy(req.query["$orderby"]) ?? "ingestiondate asc";
  const page = await searchProducts(
    deps.catalogue,
    { q: "*", node, rows: top, start: skip, orderby },
    canSee,
  );
  const base = hubBase(req);
  const expand = /attributes/i.test(req.query["$expand"] ?? "");
  const results = page.items.map(
    ({ item, summary }) => productJson(base, toProduct(item, summary), expand).d,
  );
  const all = (req.query["$inlinecount"] ?? "").toLowerCase() === "allpages";
  return json(200, { d: { ...(all ? { __count: String(page.total) } : {}), results } });
}

function count(v: string | undefined, name: string, fallback: number, max: number): number {
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new BadRequestError(`${name} must be an integer from 0 to ${max}, got '${v}'`);
  return n;
}
