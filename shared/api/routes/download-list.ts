// POST /search/download-list: a search, or a basket of `{collection, id}`, as a Metalink 4 or aria2 list
// (shared/download/download-list.ts). Its links are refresh links: the API's asset URL, signed for a
// signed-in caller for days rather than minutes and for that one asset, which re-signs on every request
// and redirects to a fresh short-lived presigned URL.
import { accessOf } from "../../auth/authorize.ts";
import { withSignature } from "../../auth/signed-hrefs.ts";
import { itemFiles, type ListFile, renderAria2, renderMetalink } from "../../download/download-list.ts";
import { BadRequestError, NotAcceptableError } from "../../errors.ts";
import { parseJsonBody } from "../../http/router.ts";
import type { HttpRequest, HttpResponse } from "../../http/types.ts";
import { parseSearch } from "../../search/request.ts";
import { requireStoredItem, searchItems } from "../../search/search.ts";
import { assetUrl } from "../../stac/links.ts";
import type { StacItem } from "../../stac/types.ts";
import type { ApiDeps } from "../deps.ts";

/** The most items one list holds; a search matching more is a 400 naming this bound. */
export const MAX_LIST_ITEMS = 1000;
/** How long a list's refresh links work by default: a week-long run survives. */
export const DEFAULT_REFRESH_LINK_SECONDS = 7 * 24 * 3600;

export const METALINK_TYPE = "application/metalink4+xml";
export const ARIA2_TYPE = "text/plain";

type Format = "metalink" | "aria2";

/** `format=` wins; else the first of the client's accepted types we can write; none given: Metalink. */
export function listFormat(req: HttpRequest): Format {
  const f = req.query["format"];
  if (f !== undefined) {
    if (f === "metalink" || f === "aria2") return f;
    throw new BadRequestError(`format: expected 'metalink' or 'aria2', got '${f}'`);
  }
  const accept = req.headers["accept"];
  if (!accept) return "metalink";
  const types = accept
    .split(",")
    .map((p) => p.split(";")[0]!.trim().toLowerCase())
    .filter(Boolean);
  for (const t of types) {
    if (t === METALINK_TYPE || t === "application/xml" || t === "*/*" || t === "application/*")
      return "metalink";
    if (t === ARIA2_TYPE || t === "text/*") return "aria2";
  }
  throw new NotAcceptableError(
    `a download list is ${METALINK_TYPE} (Metalink 4) or ${ARIA2_TYPE} (aria2 input); Accept asked for '${accept}'`,
  );
}

function basketRefs(ids: unknown[]): { collection: string; id: string }[] {
  if (ids.length > MAX_LIST_ITEMS)
    throw new BadRequestError(`ids: at most ${MAX_LIST_ITEMS} items in one download list, got ${ids.length}`);
  return ids.map((r, i) => {
    const o = r as Record<string, unknown> | null;
    if (
      typeof o !== "object" ||
      o === null ||
      typeof o["collection"] !== "string" ||
      typeof o["id"] !== "string"
    )
      throw new BadRequestError(`ids[${i}]: expected {"collection": "…", "id": "…"}`);
    return { collection: o["collection"], id: o["id"] };
  });
}

function assetKeys(v: unknown): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((k) => typeof k !== "string") || v.length === 0)
    throw new BadRequestError('assets: expected a non-empty array of asset keys, e.g. ["product"]');
  return v as string[];
}

export async function downloadList(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const format = listFormat(req);
  const { assets, ...body } = parseJsonBody(req);
  const keys = assetKeys(assets);
  const access = accessOf(deps.auth?.policy, req);
  const items: StacItem[] = [];
  const ids = body["ids"];
  if (Array.isArray(ids) && ids.some((x) => typeof x === "object")) {
    const { ids: _, ...rest } = body;
    if (Object.keys(rest).length > 0)
      throw new BadRequestError(
        `a basket ({"ids": [{"collection", "id"}]}) takes no search parameters (got: ${Object.keys(rest).join(", ")})`,
      );
    for (const r of basketRefs(ids))
      items.push((await requireStoredItem(deps.catalogue, r.collection, r.id, access)).item);
  } else {
    // Every match, in one read: limit, token and fields do not apply to a list.
    const { limit: _l, token: _t, fields: _f, ...search } = body;
    const parsed = { ...parseSearch(search, { source: "body" }), limit: MAX_LIST_ITEMS + 1 };
    const page = await searchItems(deps.catalogue, parsed, access, { tokens: deps.tokens, count: false });
    if (page.items.length > MAX_LIST_ITEMS || page.nextToken)
      throw new BadRequestError(
        `the search matches more than ${MAX_LIST_ITEMS} items, the most one download list holds (MAX_LIST_ITEMS): narrow it (collections, bbox, datetime) or split it`,
      );
    items.push(...page.items);
  }
  const files = listFiles(deps, req, items, keys);
  const text = format === "metalink" ? renderMetalink(files) : renderAria2(files);
  return {
    status: 200,
    headers: {
      "content-type": format === "metalink" ? METALINK_TYPE : `${ARIA2_TYPE}; charset=utf-8`,
      "content-disposition": `attachment; filename="hexarchive.${format === "metalink" ? "meta4" : "aria2.txt"}"`,
      "cache-control": "no-store",
    },
    body: text,
  };
}

function listFiles(deps: ApiDeps, req: HttpRequest, items: StacItem[], keys?: string[]): ListFile[] {
  const access = accessOf(deps.auth?.policy, req);
  const signer = deps.auth?.signer;
  const principal = access.principal;
  const seconds = deps.settings.refreshLinkSeconds ?? DEFAULT_REFRESH_LINK_SECONDS;
  return items.flatMap((item) => {
    const collection = item.collection ?? "";
    // The same rule as the asset route: 401 anonymous, 403 signed in but not entitled.
    access.requireDownload(collection);
    const link = (asset: string) => {
      const href = assetUrl(req.baseUrl, collection, item.id, asset);
      if (!signer || !principal) return href;
      const binding = { collection, item: item.id, asset };
      return withSignature(href, signer.signAsset(principal, binding, seconds).token);
    };
    return itemFiles(item, link, keys);
  });
}
