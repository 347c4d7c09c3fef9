// What a subscription is: a STAC search (collections, area, datetime, CQL2 filter), the kinds of change
// it wants, and how its events are delivered; parsed from a request body with the search's own parsers.
import { BadRequestError } from "../errors.ts";
import type { Cql2Expr } from "../search/cql2/index.ts";
import type { Interval } from "../search/datetime.ts";
import { parseSearch, requestFilter } from "../search/request.ts";
import type { Geometry } from "../stac/types.ts";
import type { ChangeKind } from "../storage/changes.ts";

export const EVENT_KINDS: readonly ChangeKind[] = ["created", "updated", "deleted"];

/** The search parameters a subscription may hold: those that select items, none that page or shape them. */
export const SUBSCRIPTION_SEARCH_PARAMS: readonly string[] = [
  "collections",
  "bbox",
  "intersects",
  "datetime",
  "filter",
  "filter-lang",
  "filter-crs",
  "query",
];

export type Delivery =
  | { type: "webhook"; url: string }
  | { type: "pull" }
  /** Copies matching products into another bucket (operators only; the bucket must be allowed). */
  | { type: "relay"; bucket: string; prefix?: string };

/** How a subscription fares, as its owner and operators read it. */
export interface SubscriptionHealth {
  /** Events enqueued and not yet delivered, acknowledged or given up on. */
  backlog: number;
  delivered: number;
  /** Failed webhook attempts in a row (0 after a success). */
  failures: number;
  deadLetters: number;
  lastDeliveryAt?: string;
  lastError?: string;
}

export interface Subscription {
  id: string;
  owner: string;
  created: string;
  /** The search as given (JSON, as for POST /search), kept to be parsed again by the matcher. */
  search: Record<string, unknown>;
  events: ChangeKind[];
  delivery: Delivery;
  /** Webhooks only: the key of the HMAC-SHA256 signature (shown to the owner once, at creation). */
  secret?: string;
  /** Index cells of the search's area (matcher.ts subscriptionCells), computed when it was made. */
  cells?: string[];
  health: SubscriptionHealth;
}

/** A subscription's search in the form the matcher tests items against. */
export interface CompiledSearch {
  collections?: ReadonlySet<string>;
  /** Normal form (split at the antimeridian); absent: anywhere. */
  geometry?: Geometry;
  interval: Interval;
  filter?: Cql2Expr;
}

export function compileSearch(search: Record<string, unknown>): CompiledSearch {
  for (const k of Object.keys(search))
    if (!SUBSCRIPTION_SEARCH_PARAMS.includes(k))
      throw new BadRequestError(
        `search.${k}: not a parameter a subscription can hold (supported: ${SUBSCRIPTION_SEARCH_PARAMS.join(", ")})`,
      );
  const req = parseSearch(search, { source: "body" });
  const filter = requestFilter(req);
  return {
    ...(req.collections ? { collections: new Set(req.collections) } : {}),
    ...(req.geometry ? { geometry: req.geometry } : {}),
    interval: req.interval,
    ...(filter ? { filter } : {}),
  };
}

export interface SubscriptionInput {
  search: Record<string, unknown>;
  events: ChangeKind[];
  delivery: Delivery;
}

function parseEvents(v: unknown): ChangeKind[] {
  if (v === undefined) return [...EVENT_KINDS];
  if (!Array.isArray(v) || v.length === 0 || !v.every((k) => EVENT_KINDS.includes(k as ChangeKind)))
    throw new BadRequestError(`events: expected a non-empty list of ${EVENT_KINDS.join(", ")}`);
  return [...new Set(v as ChangeKind[])];
}

function parseDelivery(v: unknown): Delivery {
  const d = v as { type?: unknown; url?: unknown } | undefined;
  if (typeof d !== "object" || d === null) throw new BadRequestError("delivery: expected an object");
  if (d.type === "pull") return { type: "pull" };
  if (d.type === "webhook") {
    if (typeof d.url !== "string" || d.url === "") throw new BadRequestError("delivery.url: expected a URL");
    return { type: "webhook", url: d.url };
  }
  if (d.type === "relay") {
    const r = v as { bucket?: unknown; prefix?: unknown };
    if (typeof r.bucket !== "string" || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(r.bucket))
      throw new BadRequestError("delivery.bucket: expected an S3 bucket name");
    if (r.prefix !== undefined && (typeof r.prefix !== "string" || r.prefix.length > 512))
      throw new BadRequestError("delivery.prefix: expected a key prefix of at most 512 characters");
    return { type: "relay", bucket: r.bucket, ...(r.prefix ? { prefix: r.prefix } : {}) };
  }
  throw new BadRequestError(
    `delivery.type: expected 'webhook', 'pull' or 'relay', got ${JSON.stringify(d.type)}`,
  );
}

/** A request body → a subscription's parts; the search is parsed (400 naming the bad parameter) and kept as given. */
export function parseSubscriptionInput(body: Record<string, unknown>): SubscriptionInput {
  for (const k of Object.keys(body))
    if (!["search", "events", "delivery"].includes(k))
      throw new BadRequestError(`unknown field '${k}' (supported: search, events, delivery)`);
  const search = body["search"] ?? {};
  if (typeof search !== "object" || search === null || Array.isArray(search))
    throw new BadRequestError("search: expected an object of search parameters (as for POST /search)");
  compileSearch(search as Record<string, unknown>);
  return {
    search: search as Record<string, unknown>,
    events: parseEvents(body["events"]),
    delivery: parseDelivery(body["delivery"]),
  };
}
