// Subscriptions end to end over the real API, dynalite and a real HTTP receiver: matching (and not
// matching), signed webhooks in order per product, retries under injected failures, a dispatcher
// restarted mid-log, dead letters, a failing receiver beside a healthy one, and pull queues.

import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBucket } from "../../dev/local/resources.ts";
import { startLocalSubscriptions } from "../../dev/local/subscriptions.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { ChangeLogReader } from "../../shared/storage/changes.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { DEFAULT_DELIVERY, type DeliverySettings } from "../../shared/subscriptions/deliverer.ts";
import { DynamoSubscriptionStore } from "../../shared/subscriptions/dynamo-store.ts";
import type { ChangeMessage } from "../../shared/subscriptions/publisher.ts";
import { s3RelayCopier } from "../../shared/subscriptions/relay.ts";
import { subscriptionsRunner } from "../../shared/subscriptions/runner.ts";
import type { SubscriptionStore } from "../../shared/subscriptions/store.ts";
import { httpWebhookSender } from "../../shared/subscriptions/webhook-sender.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp, testLog } from "../support/app.ts";
import { settled, TEST_CHANGE_TIMING, testChangeLog } from "../support/change-log.ts";
import { type Receiver, startReceiver } from "./webhook-receiver.ts";

const RELAY_BUCKET = "downstream-archive";
let app: TestApp;
let log: ChangeLogReader;
let demo: string;
const receivers: Receiver[] = [];

beforeAll(async () => {
  app = await startTestApp({ relayBuckets: [RELAY_BUCKET], changeTiming: TEST_CHANGE_TIMING });
  await ensureBucket(app.s3, RELAY_BUCKET);
  log = testChangeLog({ doc: app.doc, table: app.endpoints.dynamodb.table });
  demo = `Bearer ${app.issuer.tokenFor("demo")}`;
});
afterAll(async () => {
  for (const r of receivers) await r.close();
  await app?.close();
});

const store = (): SubscriptionStore =>
  new DynamoSubscriptionStore(new DynamoTable(app.doc, app.endpoints.dynamodb.table));
const FAST: DeliverySettings = { ...DEFAULT_DELIVERY, baseDelayMs: 1, maxDelayMs: 1 };

/** A new dispatcher and deliverer, as a restarted process would build them (nothing kept in memory). */
function runner(delivery: DeliverySettings = FAST, s: SubscriptionStore = store()) {
  return subscriptionsRunner({
    changes: log,
    items: app.catalogue,
    store: s,
    log: testLog,
    send: httpWebhookSender({ allowLoopback: true }, 2000),
    relay: { copy: s3RelayCopier(app.s3), source: app.api },
    delivery,
  });
}

async function call(method: string, path: string, body?: unknown, auth = demo) {
  const res = await fetch(`${app.api}${path}`, {
    method,
    headers: { authorization: auth, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function subscribe(search: Record<string, unknown>, receiver?: Receiver, events?: string[]) {
  const res = await call("POST", "/subscriptions", {
    search,
    ...(events ? { events } : {}),
    delivery: receiver ? { type: "webhook", url: receiver.url } : { type: "pull" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  if (receiver) receiver.secret = res.body.secret;
  return res.body.id as string;
}

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function write(item: StacItem, version: string, _kind: "created" | "updated") {
  const built = buildItemRows(item, version);
  await app.catalogue.putItem(item, built.rows, built.record, version);
}

async function remove(collection: string, id: string) {
  await app.catalogue.deleteItem(collection, id, undefined, { cause: "operator", by: "test" });
}

const item = (collection: string, id: string, lon: number, lat: number, cloud: number) =>
  makeItem({
    collection,
    id,
    lon,
    lat,
    datetime: "2025-06-01T10:00:00Z",
    properties: { "eo:cloud_cover": cloud },
  });

/** Runs until nothing is left to deliver (or a bound is hit). */
async function drain(r: ReturnType<typeof runner>, rounds = 20) {
  await settled(); // the log serves a change once it is past its settle window
  for (let i = 0; i < rounds; i++) {
    const res = await r.run();
    if (res.changes === 0 && res.failed === 0 && res.delivered === 0) return;
    await new Promise((w) => setTimeout(w, 5));
  }
}

const sequence = (r: Receiver, id: string) => r.accepted.filter((e) => e.item_id === id).map((e) => e.type);

describe("webhook subscriptions", () => {
  it("deliver signed events for matching items only, in order per product, deletions included", async () => {
    await app.catalogue.putCollection(makeCollection("s2-a", "S2", "test", []));
    await app.catalogue.putCollection(makeCollection("other-a", "Other", "test", []));
    const hook = await receiver();
    const id = await subscribe(
      {
        collections: ["s2-a"],
        bbox: [10, 40, 20, 50],
        filter: "eo:cloud_cover < 30",
        "filter-lang": "cql2-text",
      },
      hook,
    );
    const a = item("s2-a", "a", 15, 45, 10);
    await write(a, "v1", "created");
    await write(item("s2-a", "far", 100, -30, 10), "v1", "created"); // outside the bbox
    await write(item("s2-a", "cloudy", 15, 45, 80), "v1", "created"); // fails the filter
    await write(item("other-a", "elsewhere", 15, 45, 10), "v1", "created"); // another collection
    await drain(runner());
    await write({ ...a, properties: { ...a.properties, "eo:cloud_cover": 12 } }, "v2", "updated");
    await drain(runner());
    await remove("s2-a", "a");
    await remove("s2-a", "far"); // never told of it: no deletion either
    // Created and deleted between two runs: the subscriber hears of neither.
    await write(item("s2-a", "brief", 15, 45, 10), "v1", "created");
    await remove("s2-a", "brief");
    await drain(runner());

    expect(hook.badSignatures).toBe(0);
    expect(hook.accepted.map((e) => `${e.item_id}:${e.type}`)).toEqual([
      "a:item.created",
      "a:item.updated",
      "a:item.deleted",
    ]);
    expect(hook.accepted.every((e) => e.subscription === id)).toBe(true);
    expect(hook.accepted[1]!.item!.properties["eo:cloud_cover"]).toBe(12);
    expect(await store().toldSubscriptions("s2-a", "a")).toEqual([]); // forgotten once the deletion is queued
    const status = await call("GET", `/subscriptions/${id}`);
    expect(status.body.status).toMatchObject({ backlog: 0, delivered: 3, failures: 0 });
    expect(status.body.status.lastDeliveryAt).toBeTypeOf("string");
    expect(status.body.secret).toBeUndefined();
  });

  it("retry after a receiver's 500s: every event arrives, a product's events in their order", async () => {
    await app.catalogue.putCollection(makeCollection("s2-b", "S2", "test", []));
    const hook = await receiver();
    await subscribe({ collections: ["s2-b"] }, hook);
    const p = item("s2-b", "p", 5, 5, 1);
    const q = item("s2-b", "q", 6, 6, 1);
    await write(p, "v1", "created");
    await write(q, "v1", "created");
    await write({ ...p, properties: { ...p.properties, n: 2 } }, "v2", "updated");
    await write({ ...p, properties: { ...p.properties, n: 3 } }, "v3", "updated");
    hook.failNext(4);
    await drain(runner());

    expect(hook.refused).toBe(4);
    expect(sequence(hook, "p")).toEqual(["item.created", "item.updated", "item.updated"]);
    expect(hook.accepted.filter((e) => e.item_id === "p").map((e) => e.item?.properties["n"])).toEqual([
      undefined, // replaced before it was dispatched: the event names the version, without the body
      undefined,
      3,
    ]);
    expect(sequence(hook, "q")).toEqual(["item.created"]);
  });

  it("resume after a restart from the stored cursor, without losing or repeating an event", async () => {
    await app.catalogue.putCollection(makeCollection("s2-c", "S2", "test", []));
    const hook = await receiver();
    await subscribe({ collections: ["s2-c"] }, hook);
    for (let i = 0; i < 6; i++) await write(item("s2-c", `r${i}`, 7, 7, 1), "v1", "created");
    // The first process dispatches a page and stops short of saving its cursor (killed): nothing is delivered.
    const dying = store();
    let saves = 0;
    const killed = Object.assign(Object.create(Object.getPrototypeOf(dying)), dying, {
      saveDispatchState: async () => {
        saves++;
        throw new Error("killed before the cursor was saved");
      },
    }) as SubscriptionStore;
    await settled(); // the six changes are past the log's settle window: the first run reads them
    await expect(runner(FAST, killed).run()).rejects.toThrow(/killed/);
    expect(saves).toBe(1);
    // A new process reads on from the stored cursor: the events it enqueues again are the same ones.
    await drain(runner());
    expect(hook.accepted.map((e) => e.item_id).sort()).toEqual(["r0", "r1", "r2", "r3", "r4", "r5"]);
    expect(new Set(hook.accepted.map((e) => e.id)).size).toBe(6);
    // And a later process starts where that one stopped: only the new change.
    await write(item("s2-c", "r6", 7, 7, 1), "v1", "created");
    await drain(runner());
    expect(hook.accepted.map((e) => e.item_id)).toContain("r6");
    expect(hook.accepted).toHaveLength(7);
  });

  it("put events that keep failing in the dead letters, while another receiver is served", async () => {
    await app.catalogue.putCollection(makeCollection("s2-d", "S2", "test", []));
    const broken = await receiver();
    const healthy = await receiver();
    const brokenId = await subscribe({ collections: ["s2-d"] }, broken);
    await subscribe({ collections: ["s2-d"] }, healthy);
    await write(item("s2-d", "x", 8, 8, 1), "v1", "created");
    broken.failNext(1000);
    const r = runner({ ...FAST, maxAttempts: 3 });
    await settled();
    const first = await r.run();
    expect(first.delivered).toBe(1);
    expect(healthy.accepted.map((e) => e.item_id)).toEqual(["x"]);
    await drain(r);
    expect(broken.refused).toBe(3);
    const dead = await call("GET", `/subscriptions/${brokenId}/dead-letters`);
    expect(dead.status).toBe(200);
    expect(dead.body.deadLetters).toHaveLength(1);
    expect(dead.body.deadLetters[0]).toMatchObject({ attempts: 3, lastError: "receiver answered 500" });
    expect(dead.body.deadLetters[0].event.item_id).toBe("x");
    const status = await call("GET", `/subscriptions/${brokenId}`);
    expect(status.body.status).toMatchObject({ backlog: 0, deadLetters: 1, delivered: 0 });
    // Operators see every subscription's health.
    const operator = `Bearer ${app.issuer.tokenFor("operator")}`;
    const all = await call("GET", "/admin/subscriptions", undefined, operator);
    expect(all.status).toBe(200);
    const row = all.body.subscriptions.find((s: { id: string }) => s.id === brokenId);
    expect(row.status).toMatchObject({ deadLetters: 1, failures: 3 });
    expect((await call("GET", "/admin/subscriptions")).status).toBe(403);
  });
});

describe("pull subscriptions", () => {
  it("hold events until they are acknowledged", async () => {
    await app.catalogue.putCollection(makeCollection("s2-e", "S2", "test", []));
    const id = await subscribe(
      { collections: ["s2-e"], intersects: { type: "Point", coordinates: [9, 9] } },
      undefined,
      ["created"],
    );
    await write(item("s2-e", "in", 9, 9, 1), "v1", "created");
    await write(item("s2-e", "out", 50, 9, 1), "v1", "created");
    await write(item("s2-e", "in", 9, 9, 1), "v2", "updated"); // not a kind it wants
    await drain(runner());
    const first = await call("GET", `/subscriptions/${id}/events?limit=10`);
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: { item_id: string; type: string }) => `${e.item_id}:${e.type}`)).toEqual(
      ["in:item.created"],
    );
    const again = await call("GET", `/subscriptions/${id}/events`);
    expect(again.body.events).toHaveLength(1);
    const ack = await call("POST", `/subscriptions/${id}/ack`, { ids: [first.body.events[0].id] });
    expect(ack.body).toEqual({ acknowledged: 1 });
    expect((await call("GET", `/subscriptions/${id}/events`)).body.events).toEqual([]);
    expect((await call("GET", `/subscriptions/${id}`)).body.status.backlog).toBe(0);
  });
});

describe("the local stack's subscriptions timer", () => {
  it("dispatches, publishes on the in-process bus and delivers without being asked", async () => {
    await app.catalogue.putCollection(makeCollection("s2-f", "S2", "test", []));
    const hook = await receiver();
    await subscribe({ collections: ["s2-f"] }, hook);
    const local = startLocalSubscriptions({
      doc: app.doc,
      table: app.endpoints.dynamodb.table,
      changes: log,
      log: testLog,
      intervalMs: 50,
    });
    const published: ChangeMessage[] = [];
    local.bus.subscribe((m) => published.push(m));
    try {
      await write(item("s2-f", "timed", 3, 3, 1), "v1", "created");
      for (let i = 0; i < 200 && hook.accepted.length === 0; i++) await new Promise((w) => setTimeout(w, 25));
      expect(hook.accepted.map((e) => e.item_id)).toEqual(["timed"]);
      expect(published.map((m) => `${m.attributes.collection}/${m.change.id}`)).toContain("s2-f/timed");
    } finally {
      await local.close();
    }
  });
});

describe("relay subscriptions", () => {
  it("copy matching products into another bucket server-side, with their provenance, for operators only", async () => {
    await app.catalogue.putCollection(makeCollection("s1-r", "S1", "test", []));
    const operator = `Bearer ${app.issuer.tokenFor("operator")}`;
    const relay = { type: "relay", bucket: RELAY_BUCKET, prefix: "from-node/" };
    const search = { collections: ["s1-r"], bbox: [0, 0, 20, 20] };
    expect((await call("POST", "/subscriptions", { search, delivery: relay })).status).toBe(403);
    const other = await call(
      "POST",
      "/subscriptions",
      { search, delivery: { ...relay, bucket: "elsewhere" } },
      operator,
    );
    expect(other.status).toBe(400);
    expect(other.body.description).toMatch(/not a relay target/);
    const made = await call(
      "POST",
      "/subscriptions",
      { search, events: ["created"], delivery: relay },
      operator,
    );
    expect(made.status).toBe(201);

    const key = "S1/2025/06/01/S1A_IW_GRDH_relay.zip";
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: "product bytes" }));
    const inside = {
      ...item("s1-r", "S1A_IW_GRDH_relay", 10, 10, 0),
      assets: { product: { href: `s3://${app.bucket}/${key}`, type: "application/zip" } },
    };
    await write(inside, "v1", "created");
    const outsideKey = "S1/2025/06/01/S1A_IW_GRDH_far.zip";
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: outsideKey, Body: "far" }));
    await write(
      {
        ...item("s1-r", "S1A_IW_GRDH_far", 100, 60, 0),
        assets: { product: { href: `s3://${app.bucket}/${outsideKey}` } },
      },
      "v1",
      "created",
    );
    await drain(runner());

    const copy = await app.s3.send(new HeadObjectCommand({ Bucket: RELAY_BUCKET, Key: `from-node/${key}` }));
    expect(copy.Metadata).toMatchObject({
      "hexarchive-source": `${app.api}/collections/s1-r/items/S1A_IW_GRDH_relay`,
      "hexarchive-source-object": `s3://${app.bucket}/${key}`,
      "hexarchive-version": "v1",
    });
    const body = await app.s3.send(new GetObjectCommand({ Bucket: RELAY_BUCKET, Key: `from-node/${key}` }));
    expect(await body.Body!.transformToString()).toBe("product bytes");
    await expect(
      app.s3.send(new HeadObjectCommand({ Bucket: RELAY_BUCKET, Key: `from-node/${outsideKey}` })),
    ).rejects.toThrow();
    const status = await call("GET", `/subscriptions/${made.body.id}`, undefined, operator);
    expect(status.body.status).toMatchObject({ backlog: 0, delivered: 1 });
  });
});
