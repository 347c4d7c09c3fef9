// Relay limits at the unit level: one run keeps to its copies in flight and its byte budget (the rest
// waits for later runs, with no failure recorded), copies already in place are not made or counted again,
// and an item naming one object through many assets is copied once.
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../shared/log.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { DEFAULT_DELIVERY, deliverWebhooks } from "../../shared/subscriptions/deliverer.ts";
import type { SubscriptionEvent } from "../../shared/subscriptions/events.ts";
import type { Subscription } from "../../shared/subscriptions/model.ts";
import { type RelayCopier, type RelayCopy, relayCopies } from "../../shared/subscriptions/relay.ts";
import { RelayRun } from "../../shared/subscriptions/relay-limits.ts";
import type { QueuedEvent, SubscriptionStore } from "../../shared/subscriptions/store.ts";

function event(sub: string, id: string, assets: Record<string, string>): SubscriptionEvent {
  return {
    id: `e-${id}`,
    type: "item.created",
    subscription: sub,
    collection: "c",
    item_id: id,
    at: "2026-12-07T00:00:00Z",
    version: "v1",
    item: {
      type: "Feature",
      stac_version: "1.0.0",
      id,
      collection: "c",
      geometry: null,
      bbox: undefined,
      properties: { datetime: "2026-12-07T00:00:00Z" },
      links: [],
      assets: Object.fromEntries(Object.entries(assets).map(([k, href]) => [k, { href }])),
    } as unknown as StacItem,
  };
}

/** Only what a delivery run touches: the subscriptions and their queues. */
function memoryStore(queues: Map<string, QueuedEvent[]>) {
  const subs: Subscription[] = [...queues.keys()].map((id) => ({
    id,
    owner: "operator",
    created: "2026-12-07T00:00:00Z",
    search: {},
    events: ["created"],
    delivery: { type: "relay", bucket: "downstream" },
    health: { backlog: queues.get(id)!.length } as Subscription["health"],
  }));
  const store = {
    listAll: async () => subs.filter((s) => queues.get(s.id)!.length > 0),
    pending: async (id: string, n: number) => queues.get(id)!.slice(0, n),
    delivered: async (s: { id: string }, seqs: number[]) => {
      queues.set(
        s.id,
        queues.get(s.id)!.filter((e) => !seqs.includes(e.seq)),
      );
    },
    failed: async () => {
      throw new Error("no relay should fail here");
    },
    deadLetter: async () => {
      throw new Error("no relay should be dead-lettered here");
    },
  };
  return store as unknown as SubscriptionStore;
}

function countingCopier(inPlace: Set<string> = new Set()) {
  const seen = { inFlight: 0, maxInFlight: 0, copied: [] as string[] };
  const copier: RelayCopier = {
    pending: async (c: RelayCopy) => (inPlace.has(c.targetKey) ? undefined : 100),
    async copy(c) {
      seen.inFlight++;
      seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
      await new Promise((r) => setTimeout(r, 20));
      seen.inFlight--;
      seen.copied.push(c.targetKey);
    },
  };
  return { copier, seen };
}

function queuesOf(subs: number, perSub: number) {
  const queues = new Map<string, QueuedEvent[]>();
  for (let s = 0; s < subs; s++)
    queues.set(
      `s${s}`,
      Array.from({ length: perSub }, (_, i) => ({
        seq: i,
        eventId: `e${s}-${i}`,
        product: `c\u0000p${s}-${i}`,
        attempts: 0,
        body: JSON.stringify(event(`s${s}`, `p${s}-${i}`, { product: `s3://up/p${s}-${i}.zip` })),
      })),
    );
  return queues;
}

const run = (
  store: SubscriptionStore,
  copier: RelayCopier,
  limits: { concurrency: number; bytesPerRun: number },
) =>
  deliverWebhooks({
    store,
    send: async () => 500,
    relay: { copy: copier, source: "http://up", limits },
    now: () => new Date(),
    log: silentLogger,
    settings: DEFAULT_DELIVERY,
  });

describe("relay limits", () => {
  it("keep a run to its copies in flight and its byte budget; the rest waits for the next runs", async () => {
    const queues = queuesOf(4, 2);
    const store = memoryStore(queues);
    const { copier, seen } = countingCopier();
    const first = await run(store, copier, { concurrency: 2, bytesPerRun: 350 });
    expect(first).toMatchObject({ delivered: 3, failed: 0, relayedProducts: 3, relayedBytes: 300 });
    expect(seen.maxInFlight).toBe(2);
    const second = await run(store, copier, { concurrency: 2, bytesPerRun: 350 });
    const third = await run(store, copier, { concurrency: 2, bytesPerRun: 350 });
    expect([second.relayedProducts, third.relayedProducts]).toEqual([3, 2]);
    expect(new Set(seen.copied).size).toBe(8);
    expect(seen.copied).toHaveLength(8);
    expect([...queues.values()].flat()).toEqual([]);
  });

  it("admit one product larger than the whole budget, alone in its run", async () => {
    const queues = queuesOf(1, 2);
    const { copier, seen } = countingCopier();
    const r = await run(memoryStore(queues), copier, { concurrency: 4, bytesPerRun: 10 });
    expect(r).toMatchObject({ delivered: 1, relayedProducts: 1, relayedBytes: 100 });
    expect(seen.copied).toEqual(["p0-0.zip"]);
  });

  it("neither copy nor count what is already in place (an interrupted run resumed)", async () => {
    const queues = queuesOf(1, 3);
    const { copier, seen } = countingCopier(new Set(["p0-0.zip", "p0-1.zip"]));
    const r = await run(memoryStore(queues), copier, { concurrency: 4, bytesPerRun: 100 });
    expect(r).toMatchObject({ delivered: 3, relayedProducts: 1, relayedBytes: 100 });
    expect(seen.copied).toEqual(["p0-2.zip"]);
  });

  it("copy an object named by many assets (a zip's members) once", () => {
    const href = "s3://up/S2A_X.zip";
    const copies = relayCopies(
      event("s", "x", {
        product: href,
        B02: href,
        B03: href,
        thumb: "s3://up/S2A_X.png",
        web: "https://x/y",
      }),
      { bucket: "down", prefix: "n/" },
      "http://up",
    );
    expect(copies.map((c) => c.targetKey)).toEqual(["n/S2A_X.zip", "n/S2A_X.png"]);
  });

  it("slots never hold more than the concurrency", async () => {
    const r = new RelayRun({ concurrency: 3, bytesPerRun: 1 });
    let now = 0;
    let max = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        r.slot(async () => {
          max = Math.max(max, ++now);
          await new Promise((res) => setTimeout(res, 5));
          now--;
        }),
      ),
    );
    expect(max).toBe(3);
  });
});
