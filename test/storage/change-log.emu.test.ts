// The change log over dynalite: every kind of change in order with its hash and cause, paging, the
// settle window under concurrent writers, and the crash windows between an intent, the item write and
// its confirmation (faults injected into the client: dynalite cannot crash between two requests).
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
} from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildItemRows } from "../../shared/index/rows.ts";
import { contentHash } from "../../shared/stac/content-hash.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import type { ItemChange } from "../../shared/storage/changes.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import type { ChangeLogTiming } from "../../shared/storage/dynamo-change-log.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const TIMING: ChangeLogTiming = { settleMs: 100, graceMs: 1_000, writeDeadlineMs: 500 };
/** The settle window of the test that delays an intent by 250 ms (0 here fails it). */
const SETTLE = 400;
let table: TestTable;
/** The readers' clock runs `ahead` ms ahead: "after the grace period" without waiting for it. */
let ahead = 0;
let reader: DynamoCatalogue;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  table = await startTestTable({ changeTiming: TIMING });
  reader = new DynamoCatalogue(table.doc, table.table, {
    changeTiming: TIMING,
    clock: () => Date.now() + ahead,
  });
});
afterAll(() => table?.close());

let n = 0;
async function put(
  catalogue: DynamoCatalogue,
  collection: string,
  id: string,
  extra: Record<string, unknown> = {},
) {
  if (!(await catalogue.getCollection(collection)))
    await catalogue.putCollection(makeCollection(collection, collection, "test", []));
  const item: StacItem = makeItem({
    id,
    collection,
    datetime: "2024-05-01T10:00:00Z",
    lon: 10,
    lat: 50,
    properties: { n: n++, ...extra },
  });
  const version = `v${n}`;
  const built = buildItemRows(item, version);
  const stored = await catalogue.getItem(collection, id);
  await catalogue.putItem(item, built.rows, built.record, version, undefined, stored ?? null);
  return { item, version };
}

/** Every change readable now (after the settle window), following `next` from `since`. */
async function readAll(o: { since?: string; collection?: string; limit?: number } = {}) {
  await sleep(TIMING.settleMs + 20);
  const all: ItemChange[] = [];
  let since = o.since;
  for (let pages = 0; pages < 100; pages++) {
    const page = await reader.readChanges({
      limit: o.limit ?? 50,
      ...(since ? { since } : {}),
      ...(o.collection ? { collection: o.collection } : {}),
    });
    all.push(...page.changes);
    if (!page.next || page.changes.length === 0) return { changes: all, next: page.next ?? since };
    since = page.next;
  }
  throw new Error("no end");
}

/** A client whose matching requests fail as if the writer died just before sending them. */
function crashing(doc: DynamoDBDocumentClient, dies: (cmd: unknown) => boolean): DynamoDBDocumentClient {
  return new Proxy(doc, {
    get(target, prop, receiver) {
      if (prop !== "send") return Reflect.get(target, prop, receiver);
      return (cmd: unknown) => {
        if (dies(cmd)) return Promise.reject(new Error("writer crashed"));
        return target.send(cmd as never);
      };
    },
  });
}
const isConfirmation = (cmd: unknown) =>
  cmd instanceof BatchWriteCommand &&
  Object.values(cmd.input.RequestItems ?? {}).some((reqs) =>
    reqs.some((r) => (r.PutRequest?.Item as Record<string, unknown> | undefined)?.["st"] === "ok"),
  );
const isRecordWrite = (cmd: unknown) =>
  (cmd instanceof PutCommand && String(cmd.input.Item?.["pk"]).startsWith("I#")) ||
  (cmd instanceof DeleteCommand && String(cmd.input.Key?.["pk"]).startsWith("I#"));

describe("change log", () => {
  it("logs creations, updates and deletions in order, with versions, content hashes and causes", async () => {
    const since = new Date().toISOString();
    const a = await put(table.catalogue, "kinds", "a");
    const b = await put(table.catalogue, "kinds", "a", { cloud: 5 });
    expect(
      await table.catalogue.deleteItem("kinds", "a", undefined, {
        cause: "corrupted",
        text: "bad CRC",
        by: "t",
      }),
    ).toBe(true);
    const { changes } = await readAll({ since, collection: "kinds" });
    expect(changes.map((c) => [c.kind, c.id, c.version])).toEqual([
      ["created", "a", a.version],
      ["updated", "a", b.version],
      ["deleted", "a", b.version],
    ]);
    expect(changes[0]!.hash).toBe(contentHash(a.item));
    expect(changes[1]!.hash).toBe(contentHash(b.item));
    expect(changes[2]!.deletion).toEqual({ cause: "corrupted", text: "bad CRC", by: "t" });
    const cursors = changes.map((c) => c.cursor);
    expect([...cursors].sort()).toEqual(cursors);
    // The item record carries its hash too.
    await put(table.catalogue, "kinds", "b");
    expect((await table.catalogue.getItem("kinds", "b"))!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("pages catalogue-wide and per collection without losing or repeating a change", async () => {
    const since = new Date().toISOString();
    for (let i = 0; i < 12; i++) await put(table.catalogue, i % 3 === 0 ? "paged-x" : "paged-y", `p${i}`);
    const all = await readAll({ since, limit: 5 });
    expect(all.changes.map((c) => c.id)).toEqual(Array.from({ length: 12 }, (_, i) => `p${i}`));
    const x = await readAll({ since, collection: "paged-x", limit: 2 });
    expect(x.changes.map((c) => c.id)).toEqual(["p0", "p3", "p6", "p9"]);
    // From the last cursor: nothing newer yet, and no next.
    const after = await reader.readChanges({ since: all.next!, limit: 5 });
    expect(after).toEqual({ changes: [] });
  });

  it("never lets a reader pass a change whose intent lands late (settle window)", async () => {
    const settled = new DynamoCatalogue(table.doc, table.table, {
      changeTiming: { ...TIMING, settleMs: SETTLE },
    });
    await put(table.catalogue, "settle", "first");
    const since = new Date().toISOString();
    // This writer's intent takes 250 ms to arrive (a slow request); another writer's lands meanwhile.
    const slowDoc = new Proxy(table.doc, {
      get(target, prop, receiver) {
        if (prop !== "send") return Reflect.get(target, prop, receiver);
        return async (cmd: unknown) => {
          if (cmd instanceof BatchWriteCommand && JSON.stringify(cmd.input).includes('"st":"p"'))
            await sleep(250);
          return target.send(cmd as never);
        };
      },
    });
    const late = put(new DynamoCatalogue(slowDoc, table.table, { changeTiming: TIMING }), "settle", "late");
    await sleep(20);
    await put(table.catalogue, "settle", "early");
    // A mirror polling all the while, keeping its cursor as it goes.
    const seen: string[] = [];
    let cursor = since;
    const poll = async () => {
      const page = await settled.readChanges({ since: cursor, collection: "settle", limit: 10 });
      seen.push(...page.changes.map((c) => c.id));
      if (page.next) cursor = page.next;
    };
    for (const end = Date.now() + SETTLE + 400; Date.now() < end; await sleep(5)) await poll();
    await late;
    await sleep(SETTLE + 20);
    await poll();
    expect(seen.sort()).toEqual(["early", "late"]);
  });

  it("keeps order under concurrent writers: a polling reader sees every change exactly once", async () => {
    const since = new Date().toISOString();
    const writes = Array.from({ length: 40 }, (_, i) => put(table.catalogue, "busy", `w${i % 10}`));
    const seen: ItemChange[] = [];
    let cursor = since;
    let done = false;
    void Promise.allSettled(writes).then(() => {
      done = true;
    });
    while (!done) {
      const page = await reader.readChanges({ since: cursor, collection: "busy", limit: 7 });
      seen.push(...page.changes);
      if (page.next) cursor = page.next;
    }
    const rest = await readAll({ since: cursor, collection: "busy" });
    seen.push(...rest.changes);
    // Concurrent writes of one item lose their condition and retry nothing here: count what landed.
    const landed = (await readAll({ since, collection: "busy" })).changes;
    expect(seen.map((c) => c.cursor)).toEqual(landed.map((c) => c.cursor));
    expect(new Set(seen.map((c) => c.cursor)).size).toBe(seen.length);
    for (let i = 0; i < 10; i++) {
      const stored = await table.catalogue.getItem("busy", `w${i}`);
      const last = landed.filter((c) => c.id === `w${i}`).at(-1);
      expect(last?.version, `w${i}`).toBe(stored?.version);
    }
  }, 30_000);
});

describe("change log crash windows", () => {
  it("a writer dead after its intent, before the item write: readers wait out the grace period, then skip it", async () => {
    const since = new Date().toISOString();
    const dead = new DynamoCatalogue(crashing(table.doc, isRecordWrite), table.table, {
      changeTiming: TIMING,
    });
    await expect(put(dead, "crash1", "ghost")).rejects.toThrow("writer crashed");
    await put(table.catalogue, "crash1", "after");
    // Within the grace period the intent may still land: nothing past it is served.
    expect((await readAll({ since, collection: "crash1" })).changes).toEqual([]);
    ahead = TIMING.graceMs;
    try {
      const { changes } = await readAll({ since, collection: "crash1" });
      expect(changes.map((c) => c.id)).toEqual(["after"]);
      expect(await table.catalogue.getItem("crash1", "ghost")).toBeUndefined();
    } finally {
      ahead = 0;
    }
  });

  it("a writer dead after the item write, before confirming: the change is served once the grace period passes", async () => {
    const since = new Date().toISOString();
    const dead = new DynamoCatalogue(crashing(table.doc, isConfirmation), table.table, {
      changeTiming: TIMING,
    });
    await expect(put(dead, "crash2", "landed")).rejects.toThrow("writer crashed");
    await put(dead, "crash2", "landed2").catch(() => undefined);
    await put(table.catalogue, "crash2", "later");
    // Its record holds it; the item is found by searches already; its change is decided after the grace period.
    expect(await table.catalogue.getItem("crash2", "landed")).toBeDefined();
    ahead = TIMING.graceMs;
    try {
      const { changes } = await readAll({ since, collection: "crash2" });
      expect(changes.map((c) => [c.kind, c.id])).toEqual([
        ["created", "landed"],
        ["created", "landed2"],
        ["created", "later"],
      ]);
      // Deleted since, unconfirmed too: the deletion landed, and the creation before it did as well.
      await expect(dead.deleteItem("crash2", "landed", undefined, { cause: "invalid" })).rejects.toThrow();
      await table.catalogue.deleteItem("crash2", "landed2", undefined, { cause: "duplicate" });
      const again = await readAll({ since, collection: "crash2" });
      expect(again.changes.map((c) => [c.kind, c.id])).toEqual([
        ["created", "landed"],
        ["created", "landed2"],
        ["created", "later"],
        ["deleted", "landed"],
        ["deleted", "landed2"],
      ]);
      expect(again.changes[3]!.deletion).toEqual({ cause: "invalid" });
    } finally {
      ahead = 0;
    }
  });

  it("a creation confirmed by nobody whose item was deleted since still counts as landed", async () => {
    const since = new Date().toISOString();
    const dead = new DynamoCatalogue(crashing(table.doc, isConfirmation), table.table, {
      changeTiming: TIMING,
    });
    await expect(put(dead, "crash3", "brief")).rejects.toThrow("writer crashed");
    await table.catalogue.deleteItem("crash3", "brief", undefined, { cause: "withdrawn" });
    ahead = TIMING.graceMs;
    try {
      const { changes } = await readAll({ since, collection: "crash3" });
      expect(changes.map((c) => [c.kind, c.id])).toEqual([
        ["created", "brief"],
        ["deleted", "brief"],
      ]);
    } finally {
      ahead = 0;
    }
  });
});
