// Operators' API (group `operators`): download statistics, search-parameter usage, ingest failures.
import { isOperator, type Principal, principalOf } from "../../auth/principal.ts";
import { BadRequestError, ForbiddenError, NotFoundError, UnauthorizedError } from "../../errors.ts";
import type { Router } from "../../http/router.ts";
import { type HttpRequest, type HttpResponse, json } from "../../http/types.ts";
import { activeUsers, byCollectionAndMonth, topProducts } from "../../stats/aggregate.ts";
import type { StatsStore } from "../../stats/ledger.ts";
import type { ApiDeps } from "../deps.ts";

const DAY = 86_400_000;

export function requireOperator(req: HttpRequest, what = "read statistics"): Principal {
  const p = principalOf(req);
  if (!p) throw new UnauthorizedError(`sign in as an operator to ${what}`);
  if (!isOperator(p)) throw new ForbiddenError(`user '${p.user}' is not in the 'operators' group`);
  return p;
}

function instant(name: string, value: string | undefined, fallback: Date, endOfDay: boolean): string {
  if (value === undefined || value === "") return fallback.toISOString();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(dateOnly ? `${value}T${endOfDay ? "23:59:59.999" : "00:00:00.000"}Z` : value);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d{2}/.test(value))
    throw new BadRequestError(
      `'${name}' must be an RFC 3339 date or date-time, e.g. 2025-01-31, got '${value}'`,
    );
  return d.toISOString();
}

/** `from` and `to` (inclusive); the last 30 days by default; at most ten years. */
export function period(req: HttpRequest): { from: string; to: string } {
  const now = new Date();
  const to = instant("to", req.query["to"], now, true);
  const from = instant("from", req.query["from"], new Date(Date.parse(to) - 30 * DAY), false);
  if (from > to) throw new BadRequestError(`'from' (${from}) is after 'to' (${to})`);
  if (Date.parse(to) - Date.parse(from) > 3660 * DAY)
    throw new BadRequestError("the period may span at most ten years");
  return { from, to };
}

function stats(deps: ApiDeps, req: HttpRequest): StatsStore {
  requireOperator(req);
  if (!deps.downloads) throw new NotFoundError("statistics are not kept by this deployment");
  return deps.downloads.stats;
}

export async function downloadStats(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const s = stats(deps, req);
  const p = period(req);
  const records = await s.downloads(p.from, p.to);
  const rows = byCollectionAndMonth(records);
  return json(200, {
    ...p,
    downloads: records.length,
    bytes: records.reduce((n, r) => n + r.bytes, 0),
    byCollectionAndMonth: rows,
  });
}

export async function topProductStats(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const s = stats(deps, req);
  const p = period(req);
  const limit = Number(req.query["limit"] ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new BadRequestError(`'limit' must be an integer from 1 to 1000, got '${req.query["limit"]}'`);
  return json(200, { ...p, products: topProducts(await s.downloads(p.from, p.to), limit) });
}

export async function userStats(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const s = stats(deps, req);
  const p = period(req);
  const users = activeUsers(await s.downloads(p.from, p.to));
  return json(200, { ...p, activeUsers: users.length, users });
}

export async function searchParamStats(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  const s = stats(deps, req);
  const p = period(req);
  // Counters are kept per month: the period is widened to whole months.
  return json(200, { ...p, granularity: "month", parameters: await s.searchParams(p.from, p.to) });
}

export async function listFailures(deps: ApiDeps, req: HttpRequest): Promise<HttpResponse> {
  requireOperator(req);
  const failures = await deps.catalogue.listFailures();
  return json(200, { failures, count: failures.length });
}

export function addOperatorRoutes(router: Router, deps: ApiDeps): void {
  router
    .on("GET", "/admin/stats/downloads", (req) => downloadStats(deps, req))
    .on("GET", "/admin/stats/top-products", (req) => topProductStats(deps, req))
    .on("GET", "/admin/stats/users", (req) => userStats(deps, req))
    .on("GET", "/admin/stats/search-params", (req) => searchParamStats(deps, req))
    .on("GET", "/admin/failures", (req) => listFailures(deps, req));
}
