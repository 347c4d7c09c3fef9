// The change feed: what was created, updated or deleted since a cursor or a time, catalogue-wide
// (`GET /changes`) or in one collection (`GET /collections/{id}/changes`), in the change log's order,
// paged by `next` links (docs/lifecycle.md#change-feed).
import { accessOf } from "../../auth/authorize.ts";
import { BadRequestError, CatalogueError } from "../../errors.ts";
import { type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import { requireCollection } from "../../search/search.ts";
import { collectionUrl, itemUrl } from "../../stac/links.ts";
import type { ItemChange } from "../../storage/changes.ts";
import { sinceKey } from "../../storage/dynamo-change-log.ts";
import type { ApiDeps } from "../deps.ts";

export const CHANGES_DEFAULT_LIMIT = 100;
export const CHANGES_MAX_LIMIT = 1000;

export async function listChanges(
  deps: ApiDeps,
  req: HttpRequest,
  collection?: string,
): Promise<HttpResponse> {
  const access = accessOf(deps.auth?.policy, req);
  const since = req.query["since"];
  const limit = parseLimit(req.query["limit"]);
  if (since !== undefined) {
    try {
      sinceKey(since);
    } catch {
      throw new BadRequestError(
        `since '${since}' is neither a cursor from this feed nor an RFC 3339 time (e.g. 2026-12-07T10:00:00Z)`,
      );
    }
  }
  if (collection !== undefined) await requireCollection(deps.catalogue, collection, access);
  if (!deps.catalogue.readChanges)
    throw new CatalogueError(501, "NotImplemented", "this catalogue keeps no change log");
  const page = await deps.catalogue.readChanges({
    limit,
    ...(since === undefined ? {} : { since }),
    ...(collection === undefined ? {} : { collection }),
  });
  // A catalogue-wide feed shows only the collections the caller may search; paging passes the rest.
  const visible = collection ? page.changes : access.visible(page.changes, (c) => c.collection);
  const base = req.baseUrl;
  const self = collection === undefined ? `${base}/changes` : `${collectionUrl(base, collection)}/changes`;
  const query = (s: string | undefined) =>
    `${self}?${new URLSearchParams({ ...(s === undefined ? {} : { since: s }), limit: String(limit) })}`;
  const links = [{ rel: "self", href: query(since), type: "application/json" }];
  if (page.next !== undefined) links.push({ rel: "next", href: query(page.next), type: "application/json" });
  return json(200, {
    changes: visible.map((c) => present(c, base)),
    ...(page.next === undefined ? {} : { next: page.next }),
    links,
  });
}

function present(c: ItemChange, base: string) {
  return {
    ...c,
    links: [
      {
        rel: c.kind === "deleted" ? "via" : "item",
        href: itemUrl(base, c.collection, c.id),
        type: "application/geo+json",
      },
    ],
  };
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return CHANGES_DEFAULT_LIMIT;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > CHANGES_MAX_LIMIT)
    throw new BadRequestError(`limit '${raw}' must be an integer from 1 to ${CHANGES_MAX_LIMIT}`);
  return n;
}
