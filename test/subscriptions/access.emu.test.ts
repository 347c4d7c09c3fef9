// Subscriptions under an access policy: a subscription delivers items, so it may hold only collections
// its owner may search — a restricted collection named by an outsider is refused, and a subscription
// naming none is held to the collections its owner could search when it was made (unless its owner may
// search every collection, there or to come).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { makeCollection } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
let alice: string;
let partner: string;

beforeAll(async () => {
  app = await startTestApp({
    access: parseAccessPolicy(
      JSON.stringify({
        collections: { "partner-data": { search: "group:partners", download: "group:partners" } },
      }),
    ),
  });
  await app.catalogue.putCollection(makeCollection("open-s2", "S2", "test", []));
  await app.catalogue.putCollection(makeCollection("partner-data", "Partners", "test", []));
  alice = `Bearer ${app.issuer.tokenFor("alice")}`;
  partner = `Bearer ${app.issuer.tokenFor("pat", { groups: ["partners"] })}`;
});
afterAll(async () => {
  await app?.close();
});

async function subscribe(search: Record<string, unknown>, auth: string) {
  const res = await fetch(`${app.api}/subscriptions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: auth },
    body: JSON.stringify({ search, delivery: { type: "pull" } }),
  });
  const body = (await res.json()) as { description?: string; search?: { collections?: string[] } };
  return { status: res.status, body };
}

describe("subscriptions under an access policy", () => {
  it("refuse a restricted collection to a user who may not search it, and accept it from one who may", async () => {
    const refused = await subscribe({ collections: ["partner-data"] }, alice);
    expect(refused.status).toBe(403);
    expect(refused.body.description).toContain("partner-data");
    const mixed = await subscribe({ collections: ["open-s2", "partner-data"] }, alice);
    expect(mixed.status).toBe(403);
    const allowed = await subscribe({ collections: ["partner-data"] }, partner);
    expect(allowed.status).toBe(201);
  });

  it("hold a subscription naming no collection to those its owner may search", async () => {
    const mine = await subscribe({ bbox: [0, 0, 10, 10] }, alice);
    expect(mine.status).toBe(201);
    expect(mine.body.search?.collections).toEqual(["open-s2"]);
    const theirs = await subscribe({ bbox: [0, 0, 10, 10] }, partner);
    expect(theirs.status).toBe(201);
    // Who may search every collection, now and later, keeps a subscription open to new ones.
    expect(theirs.body.search?.collections).toBeUndefined();
  });
});
