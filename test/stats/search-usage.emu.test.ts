// Search-parameter counters: spread over shards and added up again, and counted alongside the search
// so that a slow or failing count neither holds up nor fails it. Routes run in process over dynalite.
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../../shared/api/app.ts";
import type { ApiDeps } from "../../shared/api/deps.ts";
import type { DownloadServices } from "../../shared/download/services.ts";
import type { HttpRequest } from "../../shared/http/types.ts";
import { PK, SEARCH_USAGE_SHARDS, SK, searchParamsKey } from "../../shared/index/keys.ts";
import { type Logger, silentLogger } from "../../shared/log.ts";
import { processPagingTokens } from "../../shared/search/paging-tokens.ts";
import { DynamoStatsStore, type StatsStore } from "../../shared/stats/ledger.ts";
import type { Catalogue } from "../../shared/storage/catalogue.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let db: TestTable;
beforeAll(async () => {
  db = await startTestTable();
});
afterAll(() => db?.close());

/** The counter `name` on each shard of the month. */
const shardCounts = (month: string, name: string) =>
  Promise.all(
    Array.from({ length: SEARCH_USAGE_SHARDS }, async (_, shard) => {
      const k = searchParamsKey(month, shard);
      const got = await db.doc.send(new GetCommand({ TableName: db.table, Key: { [PK]: k.pk, [SK]: k.sk } }));
      return Number(got.Item?.[`n:${name}`] ?? 0);
    }),
  );

describe("search-parameter counters", () => {
  it("spread a month's searches over its shards and add them up again", async () => {
    let next = 0;
    const store = new DynamoStatsStore(db.doc, db.table, () => next++ % SEARCH_USAGE_SHARDS);
    const searches = 3 * SEARCH_USAGE_SHARDS + 1;
    for (let i = 0; i < searches; i++)
      await store.recordSearch(["bbox", "limit", ...(i % 2 ? ["datetime"] : [])], "2025-03-14T10:00:00Z");
    await store.recordSearch(["bbox"], "2025-04-01T00:00:00Z");
    expect((await shardCounts("2025-03", "bbox")).every((n) => n >= 3)).toBe(true);
    expect(await store.searchParams("2025-03-01T00:00:00Z", "2025-03-31T23:59:59Z")).toEqual({
      bbox: searches,
      limit: searches,
      datetime: Math.floor(searches / 2),
    });
    expect(await store.searchParams("2025-03-01T00:00:00Z", "2025-04-30T00:00:00Z")).toMatchObject({
      bbox: searches + 1,
    });
  });

  it("land on random shards by default, and still add up", async () => {
    const store = new DynamoStatsStore(db.doc, db.table);
    for (let i = 0; i < 40; i++) await store.recordSearch(["ids"], "2024-11-02T00:00:00Z");
    // All 40 on one shard: a chance of 8^-39.
    expect((await shardCounts("2024-11", "ids")).filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(await store.searchParams("2024-11-01T00:00:00Z", "2024-11-30T00:00:00Z")).toEqual({ ids: 40 });
  });
});

/** The real store, but for how it counts searches. */
function statsWith(recordSearch: StatsStore["recordSearch"]): StatsStore {
  const real = new DynamoStatsStore(db.doc, db.table);
  return {
    recordDownload: (r) => real.recordDownload(r),
    downloads: (from, to) => real.downloads(from, to),
    recordSearch,
    searchParams: (from, to) => real.searchParams(from, to),
  };
}

/** The API in process, over dynalite, with this statistics store; `warnings` collects logged warnings. */
function api(stats: StatsStore, catalogue: Catalogue = new DynamoCatalogue(db.doc, db.table)) {
  const warnings: string[] = [];
  const log: Logger = { ...silentLogger, warn: (msg: string) => warnings.push(msg) };
  const deps: ApiDeps = {
    catalogue,
    owners: {} as never,
    presigner: {} as never,
    tokens: processPagingTokens,
    log,
    settings: { presignSeconds: 60 },
    downloads: { stats } as unknown as DownloadServices,
  };
  return { router: createApi(deps), warnings };
}

const request = (over: Partial<HttpRequest>): HttpRequest => ({
  method: "GET",
  path: "/search",
  query: {},
  headers: {},
  baseUrl: "http://api.test",
  ...over,
});

describe("a search", () => {
  it("answers when its count fails, and logs the failure", async () => {
    const failing = statsWith(async () => {
      throw new Error("ProvisionedThroughputExceededException");
    });
    const { router, warnings } = api(failing);
    const got = await router.handle(request({ query: { bbox: "0,0,1,1" } }));
    expect(got.status).toBe(200);
    expect(JSON.parse(got.body!).type).toBe("FeatureCollection");
    const posted = await router.handle(
      request({
        method: "POST",
        body: '{"bbox":[0,0,1,1]}',
        headers: { "content-type": "application/json" },
      }),
    );
    expect(posted.status).toBe(200);
    expect(warnings).toEqual(["search parameters not counted", "search parameters not counted"]);
  });

  it("is counted alongside the catalogue reads, not before them", async () => {
    let searchStarted!: () => void;
    const started = new Promise<void>((r) => {
      searchStarted = r;
    });
    const inner = new DynamoCatalogue(db.doc, db.table);
    // Any read of the catalogue means the search has begun.
    const catalogue = new Proxy(inner, {
      get(target, name, receiver) {
        const v = Reflect.get(target, name, receiver);
        return typeof v === "function"
          ? (...args: unknown[]) => {
              searchStarted();
              return v.apply(target, args);
            }
          : v;
      },
    });
    const order: string[] = [];
    // Finishes once the search has read the catalogue; counted first (the old order), it gives up.
    const stats = statsWith(async () => {
      const gaveUp = new Promise<string>((r) => setTimeout(() => r("count gave up"), 2000));
      order.push(await Promise.race([started.then(() => "search began"), gaveUp]));
      order.push("counted");
    });
    const got = await api(stats, catalogue).router.handle(request({ query: { limit: "1" } }));
    expect(got.status).toBe(200);
    expect(order).toEqual(["search began", "counted"]);
  });

  it("does not wait for a count that hangs", async () => {
    const stats = statsWith(() => new Promise<void>(() => {}));
    const got = await api(stats).router.handle(request({ query: { limit: "1" } }));
    expect(got.status).toBe(200);
  }, 5_000);
});
