// The subscriptions API's refusals and ownership: who may call it, what a bad search, a bad webhook
// URL or one subscription too many gets back, and that only the owner reaches a subscription.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let alice: string;
let bob: string;

beforeAll(async () => {
  app = await startTestApp({ subscriptionsPerUser: 3 });
  alice = `Bearer ${app.issuer.tokenFor("alice")}`;
  bob = `Bearer ${app.issuer.tokenFor("bob")}`;
});
afterAll(async () => {
  await app?.close();
});

async function call(method: string, path: string, body?: unknown, auth: string | null = alice) {
  const res = await fetch(`${app.api}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const pull = { type: "pull" };

describe("subscriptions API", () => {
  it("is for signed-in users", async () => {
    const res = await call("POST", "/subscriptions", { delivery: pull }, null);
    expect(res.status).toBe(401);
    expect((await call("GET", "/subscriptions", undefined, null)).status).toBe(401);
  });

  it.each([
    [{ search: { filter: "eo:cloud_cover <<< 3", "filter-lang": "cql2-text" }, delivery: pull }, /^filter/],
    [
      {
        search: {
          intersects: {
            type: "Polygon",
            coordinates: [
              [
                [0, 0],
                [1, 1],
              ],
            ],
          },
        },
        delivery: pull,
      },
      /intersects/,
    ],
    [{ search: { bbox: [10, 50, 5] }, delivery: pull }, /bbox/],
    [{ search: { datetime: "yesterday" }, delivery: pull }, /datetime/],
    [{ search: { limit: 10 }, delivery: pull }, /search\.limit/],
    [{ search: {}, events: ["born"], delivery: pull }, /events/],
    [{ search: {}, delivery: { type: "email" } }, /delivery\.type/],
    [{ search: {}, delivery: { type: "webhook", url: "http://example.com/hook" } }, /https/],
    [{ search: {}, delivery: { type: "webhook", url: "https://10.1.2.3/hook" } }, /private/],
    [{ search: {}, delivery: { type: "webhook", url: "https://169.254.169.254/latest" } }, /metadata/],
    [{ search: {}, delivery: { type: "webhook", url: "https://[fe80::1]/hook" } }, /link-local/],
    [{ search: {}, delivery: { type: "webhook", url: "https://[::ffff:192.168.1.1]/x" } }, /private/],
    [{ search: {}, delivery: { type: "webhook", url: "https://user:pw@example.com/" } }, /credentials/],
  ])("refuses %j with a 400 that names the problem", async (body, reason) => {
    const res = await call("POST", "/subscriptions", body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("BadRequest");
    expect(res.body.description).toMatch(reason);
  });

  it("keeps each user's subscriptions to their owner, up to the per-user limit", async () => {
    const made = await call("POST", "/subscriptions", {
      search: { collections: ["sentinel-2-l2a"], bbox: [5, 45, 10, 50] },
      events: ["created"],
      delivery: { type: "webhook", url: "http://127.0.0.1:9/hook" },
    });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.body.status).toEqual({ backlog: 0, delivered: 0, failures: 0, deadLetters: 0 });
    const id = made.body.id as string;

    expect((await call("GET", `/subscriptions/${id}`, undefined, bob)).status).toBe(404);
    expect((await call("DELETE", `/subscriptions/${id}`, undefined, bob)).status).toBe(404);
    expect((await call("GET", "/subscriptions", undefined, bob)).body.subscriptions).toEqual([]);
    const mine = await call("GET", "/subscriptions");
    expect(mine.body.subscriptions.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(mine.body.subscriptions[0].secret).toBeUndefined();
    expect((await call("GET", `/subscriptions/${id}/events`)).status).toBe(409); // a webhook has no pull queue

    for (let i = 0; i < 2; i++)
      expect((await call("POST", "/subscriptions", { delivery: pull })).status).toBe(201);
    const over = await call("POST", "/subscriptions", { delivery: pull });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ code: "SubscriptionLimit" });
    expect(over.body.description).toMatch(/3 subscriptions/);
    expect((await call("POST", "/subscriptions", { delivery: pull }, bob)).status).toBe(201);

    expect((await call("DELETE", `/subscriptions/${id}`)).status).toBe(204);
    expect((await call("GET", `/subscriptions/${id}`)).status).toBe(404);
    expect((await call("POST", "/subscriptions", { delivery: pull })).status).toBe(201);
  });
});
