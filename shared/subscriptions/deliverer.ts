// Delivers queued webhook and relay events: in queue order per product (a later event for a product waits while an
// earlier one is retried), with exponential backoff, then to the dead letters after the last attempt.
// Subscriptions are served side by side with a per-request deadline, and a receiver that keeps failing
// is left for the next run, so one bad receiver delays no other subscriber.
import { mapLimited } from "../concurrency.ts";
import type { Logger } from "../log.ts";
import type { SubscriptionEvent } from "./events.ts";
import type { Subscription } from "./model.ts";
import { type RelayCopier, relayCopies } from "./relay.ts";
import { DEFAULT_RELAY_LIMITS, type RelayLimits, RelayRun } from "./relay-limits.ts";
import type { QueuedEvent, SubscriptionStore } from "./store.ts";
import type { WebhookSender } from "./webhook-sender.ts";

export interface DeliverySettings {
  /** Attempts per event before it becomes a dead letter. */
  maxAttempts: number;
  /** Wait after the first failure; doubled per attempt, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Events read per subscription and run. */
  batch: number;
  /** Subscriptions served at once. */
  concurrency: number;
  /** Failures in a row after which a subscription's run stops (its receiver is likely down). */
  failuresPerRun: number;
}

export const DEFAULT_DELIVERY: DeliverySettings = {
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 3_600_000,
  batch: 50,
  concurrency: 8,
  failuresPerRun: 3,
};

export interface DeliverDeps {
  store: SubscriptionStore;
  send: WebhookSender;
  /** Server-side copies for relay subscriptions; absent: relays wait. */
  relay?:
    | {
        copy: RelayCopier;
        /** The API's URL, named as the copies' source. */
        source: string;
        /** Default DEFAULT_RELAY_LIMITS. */
        limits?: RelayLimits | undefined;
      }
    | undefined;
  now: () => Date;
  log: Logger;
  settings: DeliverySettings;
  /** No new request is started after this instant (epoch ms): a run ends before the next one is due. */
  until?: number | undefined;
}

export interface DeliverResult {
  delivered: number;
  failed: number;
  deadLettered: number;
  /** Products and bytes relays copied in this run. */
  relayedProducts: number;
  relayedBytes: number;
}

/** A relay event left for the next run: this run's byte budget is spent. */
const OVER_BUDGET = Symbol("over budget");

export const retryDelay = (attempts: number, s: DeliverySettings): number =>
  Math.min(s.maxDelayMs, s.baseDelayMs * 2 ** Math.max(0, attempts - 1));

/** Delivers one event: undefined when done, else why it failed. */
async function attempt(
  deps: DeliverDeps,
  sub: Subscription,
  e: QueuedEvent,
  now: Date,
  run: RelayRun | undefined,
): Promise<string | undefined | typeof OVER_BUDGET> {
  try {
    if (sub.delivery.type === "webhook") {
      const status = await deps.send({
        url: sub.delivery.url,
        body: e.body,
        secret: sub.secret ?? "",
        eventId: e.eventId,
        unixSeconds: Math.floor(now.getTime() / 1000),
      });
      return status >= 200 && status < 300 ? undefined : `receiver answered ${status}`;
    }
    if (sub.delivery.type === "relay" && deps.relay && run) {
      const { copy } = deps.relay;
      const copies = relayCopies(JSON.parse(e.body) as SubscriptionEvent, sub.delivery, deps.relay.source);
      // Copies already in place (an earlier, interrupted run) are neither made again nor counted.
      const sizes = await Promise.all(copies.map((c) => run.slot(() => copy.pending(c))));
      const todo = copies.filter((_, i) => sizes[i] !== undefined);
      if (todo.length === 0) return undefined;
      if (!run.admit(sizes.reduce<number>((a, b) => a + (b ?? 0), 0))) return OVER_BUDGET;
      await Promise.all(todo.map((c) => run.slot(() => copy.copy(c))));
      return undefined;
    }
    return "nothing delivers this subscription's events";
  } catch (err) {
    return (err as Error).message;
  }
}

async function deliverOne(
  deps: DeliverDeps,
  sub: Subscription,
  r: DeliverResult,
  run: RelayRun | undefined,
): Promise<void> {
  if (sub.delivery.type === "relay" && !deps.relay) return;
  const waiting = new Set<string>();
  let failuresInRow = 0;
  for (const e of await deps.store.pending(sub.id, deps.settings.batch)) {
    if (waiting.has(e.product)) continue;
    if (deps.until !== undefined && Date.now() > deps.until) return;
    const now = deps.now();
    if (e.notBefore && e.notBefore > now.toISOString()) {
      waiting.add(e.product);
      continue;
    }
    const error = await attempt(deps, sub, e, now, run);
    if (error === OVER_BUDGET) return;
    if (error === undefined) {
      await deps.store.delivered(sub, [e.seq], deps.now().toISOString());
      r.delivered++;
      failuresInRow = 0;
      continue;
    }
    await failed(deps, sub, e, error, r);
    waiting.add(e.product);
    if (++failuresInRow >= deps.settings.failuresPerRun) return;
  }
}

async function failed(deps: DeliverDeps, sub: Subscription, e: QueuedEvent, error: string, r: DeliverResult) {
  const at = deps.now();
  if (e.attempts + 1 >= deps.settings.maxAttempts) {
    await deps.store.deadLetter(sub, { ...e, attempts: e.attempts + 1 }, error, at.toISOString());
    r.deadLettered++;
    deps.log.warn("webhook event dead-lettered", { subscription: sub.id, event: e.eventId, error });
    return;
  }
  const notBefore = new Date(at.getTime() + retryDelay(e.attempts + 1, deps.settings)).toISOString();
  await deps.store.failed(sub, e, error, notBefore);
  r.failed++;
}

/** One delivery run over every webhook and relay subscription with a backlog (pull queues wait for their reader). */
export async function deliverWebhooks(deps: DeliverDeps): Promise<DeliverResult> {
  const r: DeliverResult = { delivered: 0, failed: 0, deadLettered: 0, relayedProducts: 0, relayedBytes: 0 };
  const run = deps.relay ? new RelayRun(deps.relay.limits ?? DEFAULT_RELAY_LIMITS) : undefined;
  const subs = (await deps.store.listAll()).filter((s) => s.delivery.type !== "pull" && s.health.backlog > 0);
  await mapLimited(subs, deps.settings.concurrency, async (s) => {
    try {
      await deliverOne(deps, s, r, run);
    } catch (err) {
      deps.log.error("webhook delivery run failed", { subscription: s.id, error: String(err) });
    }
  });
  r.relayedProducts = run?.products ?? 0;
  r.relayedBytes = run?.bytes ?? 0;
  return r;
}
