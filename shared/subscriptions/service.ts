// The subscriptions' use cases behind the API: create (validated, limited per user), read, delete, pull
// and acknowledge events, read dead letters; only the owner reaches a subscription, operators list all.
import { randomBytes, randomUUID } from "node:crypto";
import { BadRequestError, CatalogueError, ForbiddenError, NotFoundError } from "../errors.ts";
import { subscriptionCells } from "./matcher.ts";
import { compileSearch, parseSubscriptionInput, type Subscription } from "./model.ts";
import type { SubscriptionStore } from "./store.ts";
import { checkWebhookUrl, type Resolve, type WebhookPolicy } from "./webhook-target.ts";

export interface SubscriptionSettings {
  maxPerUser: number;
  webhooks: WebhookPolicy;
  /** Buckets relays may copy into (operators' subscriptions only); none: no relays. */
  relayBuckets?: readonly string[] | undefined;
}

export interface SubscriptionServices {
  store: SubscriptionStore;
  settings: SubscriptionSettings;
  /** Host name → addresses (default: the system resolver); tests pass their own. */
  resolve?: Resolve | undefined;
}

export const MAX_PULL = 100;

/** A subscription as its owner sees it; the secret only once, in the answer that created it. */
export function present(s: Subscription, baseUrl: string, o: { withSecret?: boolean } = {}) {
  const self = `${baseUrl}/subscriptions/${encodeURIComponent(s.id)}`;
  return {
    id: s.id,
    owner: s.owner,
    created: s.created,
    search: s.search,
    events: s.events,
    delivery: s.delivery,
    ...(o.withSecret && s.secret ? { secret: s.secret } : {}),
    status: s.health,
    links: [
      { rel: "self", href: self, type: "application/json" },
      ...(s.delivery.type === "pull"
        ? [{ rel: "events", href: `${self}/events`, type: "application/json" }]
        : []),
      { rel: "dead-letters", href: `${self}/dead-letters`, type: "application/json" },
    ],
  };
}

export async function createSubscription(
  svc: SubscriptionServices,
  owner: string,
  body: Record<string, unknown>,
  now: Date,
  o: {
    operator?: boolean;
    /**
     * A subscription delivers items, so it may hold only collections its owner may search: the named
     * ones, each checked (refused with 401/403), or, when none is named, all the owner may search now
     * (undefined: the owner may search every collection there is or will be, so it stays open).
     */
    scope?: (named: string[] | undefined) => Promise<string[] | undefined>;
  } = {},
): Promise<Subscription> {
  const input = parseSubscriptionInput(body);
  if (input.delivery.type === "relay") {
    if (!o.operator) throw new ForbiddenError("relays (copies into another bucket) are for operators");
    if (!svc.settings.relayBuckets?.includes(input.delivery.bucket))
      throw new BadRequestError(
        `delivery.bucket: '${input.delivery.bucket}' is not a relay target of this deployment (${svc.settings.relayBuckets?.join(", ") || "none"})`,
      );
  }
  const compiled = compileSearch(input.search);
  const cells = subscriptionCells(compiled);
  const collections = await o.scope?.(compiled.collections ? [...compiled.collections] : undefined);
  if (collections?.length === 0)
    throw new ForbiddenError("there is no collection you may search to subscribe to");
  if (collections) input.search = { ...input.search, collections };
  if (input.delivery.type === "webhook")
    await checkWebhookUrl(input.delivery.url, svc.settings.webhooks, svc.resolve);
  const owned = await svc.store.listOwned(owner);
  if (owned.length >= svc.settings.maxPerUser)
    throw new CatalogueError(
      409,
      "SubscriptionLimit",
      `user '${owner}' has ${owned.length} subscriptions, the most allowed; delete one first`,
    );
  const s: Subscription = {
    id: randomUUID(),
    owner,
    created: now.toISOString(),
    ...input,
    ...(input.delivery.type === "webhook" ? { secret: randomBytes(32).toString("base64url") } : {}),
    cells,
    health: { backlog: 0, delivered: 0, failures: 0, deadLetters: 0 },
  };
  await svc.store.put(s);
  return s;
}

export async function requireSubscription(svc: SubscriptionServices, owner: string, id: string) {
  const s = await svc.store.get(owner, id);
  // Another user's subscription is as absent as a missing one: ids are not disclosed.
  if (!s) throw new NotFoundError(`you have no subscription '${id}'`);
  return s;
}

export function pullLimit(raw: string | undefined): number {
  if (raw === undefined) return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PULL)
    throw new BadRequestError(`limit: expected an integer from 1 to ${MAX_PULL}, got '${raw}'`);
  return n;
}

function requirePull(s: Subscription): void {
  if (s.delivery.type !== "pull")
    throw new CatalogueError(
      409,
      "NotAPullSubscription",
      `subscription '${s.id}' delivers by webhook, not by pull`,
    );
}

/** The oldest events waiting, in order; they stay until acknowledged. */
export async function pullEvents(
  svc: SubscriptionServices,
  s: Subscription,
  limit: number,
): Promise<unknown[]> {
  requirePull(s);
  return (await svc.store.pending(s.id, limit)).map((e) => JSON.parse(e.body));
}

/** Removes acknowledged events (by event id); ids not waiting are ignored (acknowledging twice is harmless). */
export async function ackEvents(
  svc: SubscriptionServices,
  s: Subscription,
  body: Record<string, unknown>,
  now: Date,
) {
  requirePull(s);
  const ids = body["ids"];
  if (!Array.isArray(ids) || !ids.every((x) => typeof x === "string") || ids.length > 1000)
    throw new BadRequestError("ids: expected a list of at most 1000 event ids");
  const wanted = new Set(ids as string[]);
  const seqs = (await svc.store.pending(s.id, 1000)).filter((e) => wanted.has(e.eventId)).map((e) => e.seq);
  await svc.store.delivered(s, seqs, now.toISOString());
  return seqs.length;
}
