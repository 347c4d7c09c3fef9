// Statistics after a few downloads and searches, through the operators' API.
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import {
  legacySearchParamsKey,
  PK,
  SEARCH_USAGE_SHARDS,
  SK,
  searchParamsKey,
  unshardedSearchParamsKey,
} from "../../shared/index/keys.ts";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";

const a = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
const b = generateSentinel2Product({ tile: "31UDQ", datetime: "2021-03-03T10:00:00.024Z" });
const itemA = `/collections/sentinel-2-l2a/items/${a.name}`;
const itemB = `/collections/sentinel-2-l2a/items/${b.name}`;
let stack: SecuredStack;
let operator: string;

beforeAll(async () => {
  stack = await startSecuredStack();
  await stack.upload(a.key, a.bytes, "application/zip");
  await stack.upload(b.key, b.bytes, "application/zip");
  stack.issuer.addUser("alice", "alice-password");
  stack.issuer.addUser("bob", "bob-password");
  const alice = stack.basic("alice", "alice-password");
  const bob = `Bearer ${await stack.token("bob", "bob-password")}`;
  for (const [path, who] of [
    [`${itemA}/assets/product`, alice],
    [`${itemA}/assets/product`, alice], // renewal of the same link: not a second download
    [`${itemA}/assets/product`, bob],
    [`${itemA}/files/manifest.safe`, bob],
    [`${itemB}/assets/product`, alice],
  ] as const) {
    expect((await stack.get(path, who)).status).toBeLessThan(400);
  }
  await stack.get(`/search?bbox=14,49,15,50&limit=5`);
  await stack.get(`/search?datetime=2020-01-01T00:00:00Z/..&limit=5`);
  await fetch(`${stack.api}/search`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ bbox: [0, 0, 1, 1] }),
  });
  operator = stack.basic(stack.endpoints.auth.operator.user, stack.endpoints.auth.operator.password);
});
afterAll(() => stack?.close());

const getJson = async (path: string, auth?: string) => {
  const res = await stack.get(path, auth);
  return { status: res.status, body: (await res.json()) as any };
};

describe("operators' statistics", () => {
  it("are for operators only", async () => {
    expect((await getJson("/admin/stats/downloads")).status).toBe(401);
    expect((await getJson("/admin/stats/downloads", stack.basic("demo", "demo-password"))).status).toBe(403);
  });

  it("count downloads and bytes per collection and month", async () => {
    const { body } = await getJson("/admin/stats/downloads", operator);
    expect(body.downloads).toBe(4);
    const rows = body.byCollectionAndMonth;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      collection: "sentinel-2-l2a",
      month: new Date().toISOString().slice(0, 7),
      downloads: 4,
    });
    expect(body.bytes).toBeGreaterThan(2 * a.bytes.length + b.bytes.length);
  });

  it("rank products with distinct users", async () => {
    const { body } = await getJson("/admin/stats/top-products?limit=1", operator);
    expect(body.products).toEqual([
      expect.objectContaining({ collection: "sentinel-2-l2a", item: a.name, downloads: 3, users: 2 }),
    ]);
  });

  it("list active users", async () => {
    const { body } = await getJson("/admin/stats/users", operator);
    expect(body.activeUsers).toBe(2);
    expect(body.users.map((u: { user: string; downloads: number }) => [u.user, u.downloads])).toEqual([
      ["alice", 2],
      ["bob", 2],
    ]);
  });

  it("count the search parameters used", async () => {
    const { body } = await getJson("/admin/stats/search-params", operator);
    expect(body.parameters).toMatchObject({ bbox: 2, limit: 2, datetime: 1 });
  });

  it("keep search counters in partitions of their own, apart from the tile rows (`P#`), over shards", async () => {
    const month = new Date().toISOString().slice(0, 7);
    const read = async (k: { pk: string; sk: string }) =>
      (
        await stack.doc.send(
          new GetCommand({ TableName: stack.endpoints.dynamodb.table, Key: { [PK]: k.pk, [SK]: k.sk } }),
        )
      ).Item;
    expect(searchParamsKey(month, 0).pk).toBe(`U#${month}#0`);
    let bbox = 0;
    for (let shard = 0; shard < SEARCH_USAGE_SHARDS; shard++)
      bbox += Number((await read(searchParamsKey(month, shard)))?.["n:bbox"] ?? 0);
    expect(bbox).toBe(2);
    expect(await read(unshardedSearchParamsKey(month))).toBeUndefined();
    expect(await read(legacySearchParamsKey(month))).toBeUndefined();
  });

  it("still count the counters written under the old keys (`P#<month>`, unsharded `U#<month>`)", async () => {
    const put = (k: { pk: string; sk: string }, counters: Record<string, number>) =>
      stack.doc.send(
        new PutCommand({
          TableName: stack.endpoints.dynamodb.table,
          Item: { [PK]: k.pk, [SK]: k.sk, ...counters },
        }),
      );
    await put(legacySearchParamsKey("2019-05"), { "n:bbox": 7, "n:intersects": 3 });
    await put(unshardedSearchParamsKey("2019-06"), { "n:bbox": 1, "n:ids": 4 });
    const { body } = await getJson("/admin/stats/search-params?from=2019-01-01", operator);
    expect(body.parameters).toMatchObject({ bbox: 10, intersects: 3, ids: 4, limit: 2 });
  });

  it("answer an empty period and refuse a bad one", async () => {
    expect(
      (await getJson("/admin/stats/downloads?from=2001-01-01&to=2001-02-01", operator)).body.downloads,
    ).toBe(0);
    const bad = await getJson("/admin/stats/downloads?from=yesterday", operator);
    expect(bad.status).toBe(400);
    expect(bad.body.description).toMatch(/'from'/);
  });

  it("list ingest failures", async () => {
    await stack.upload("notes/readme.txt", "not a product", "text/plain");
    const { body } = await getJson("/admin/failures", operator);
    expect(body.failures.map((f: { key: string }) => f.key)).toContain("notes/readme.txt");
  });
});
