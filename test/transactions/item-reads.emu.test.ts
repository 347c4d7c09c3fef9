// The Transactions API reads an item's record once per write: the read that checks the request (exists,
// may be replaced) is passed to the conditional write. Counted at the DynamoDB client under the real API
// handler. A writer that changes the item between that read and the write makes the write a retryable
// 503; the other writer's item stands, whole.
import { BatchGetCommand, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { itemKey, PARTITION_PREFIXES, PK, SK } from "../../shared/index/keys.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const C = "tx-reads";
const OPERATOR = `Basic ${Buffer.from("operator:operator-password").toString("base64")}`;
/** Item records read since the last reset (GetItem, BatchGetItem keys). */
let itemReads = 0;
/** Run once just before the next write of an item record (a PutItem of an `I#` key). */
let beforeRecordWrite: (() => Promise<void>) | undefined;

const isItem = (key: Record<string, unknown> | undefined) =>
  String(key?.[PK]).startsWith(PARTITION_PREFIXES.items);

function send(method: string, path: string, body?: unknown, type = "application/json") {
  return fetch(`${app.api}${path}`, {
    method,
    headers: { authorization: OPERATOR, "content-type": type },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const item = (id: string, lon = 14): StacItem => {
  const i = makeItem({ id, collection: C, datetime: "2024-06-01T09:30:00Z", lon, lat: 50 });
  i.assets = { image: { href: `https://example.com/${id}.tif`, type: "image/tiff" } };
  const ring = (i.geometry as { coordinates: number[][][] }).coordinates[0]!;
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  return { ...i, bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] };
};

beforeAll(async () => {
  app = await startTestApp();
  const original = app.doc.send.bind(app.doc) as (...args: unknown[]) => Promise<unknown>;
  app.doc.send = (async (command: unknown, ...rest: unknown[]) => {
    if (command instanceof GetCommand && isItem(command.input.Key)) itemReads++;
    if (command instanceof BatchGetCommand)
      for (const t of Object.values(command.input.RequestItems ?? {}))
        itemReads += (t.Keys ?? []).filter(isItem).length;
    if (command instanceof PutCommand && isItem(command.input.Item) && beforeRecordWrite) {
      const race = beforeRecordWrite;
      beforeRecordWrite = undefined;
      await race();
    }
    return original(command, ...rest);
  }) as typeof app.doc.send;
  expect((await send("POST", "/collections", makeCollection(C, "Reads", "test", []))).status).toBe(201);
});
afterAll(() => app?.close());
beforeEach(() => {
  itemReads = 0;
});

describe("Transactions API item reads", () => {
  it("POST of one item reads its record once (to refuse an existing id)", async () => {
    expect((await send("POST", `/collections/${C}/items`, item("one"))).status).toBe(201);
    expect(itemReads).toBe(1);
  });

  it("POST of an ItemCollection reads each record once", async () => {
    const r = await send("POST", `/collections/${C}/items`, {
      type: "FeatureCollection",
      features: [item("two"), item("three")],
    });
    expect(r.status).toBe(201);
    expect(itemReads).toBe(2);
  });

  it("PUT, PATCH and DELETE read the record once each", async () => {
    expect((await send("PUT", `/collections/${C}/items/one`, item("one", 15))).status).toBe(200);
    expect(itemReads).toBe(1);
    itemReads = 0;
    const patch = { properties: { "eo:cloud_cover": 3 } };
    const patched = await send("PATCH", `/collections/${C}/items/one`, patch, "application/merge-patch+json");
    expect(patched.status).toBe(200);
    expect(itemReads).toBe(1);
    itemReads = 0;
    expect((await send("DELETE", `/collections/${C}/items/three`)).status).toBe(204);
    expect(itemReads).toBe(1);
  });

  it("refuses a write whose item changed after it was read with a retryable 503; the other write stands", async () => {
    // Between this PUT's read and its write, another writer moves the item.
    beforeRecordWrite = async () => {
      const other = await send("PUT", `/collections/${C}/items/two`, item("two", 20));
      expect(other.status).toBe(200);
    };
    const late = await send("PUT", `/collections/${C}/items/two`, item("two", 16));
    expect(late.status).toBe(503);
    expect(((await late.json()) as { code: string }).code).toBe("ServiceUnavailable");
    const stored = await app.catalogue.getItem(C, "two");
    expect(stored?.item.bbox?.[0]).toBe(20 - 0.5);
    // A search where the late write would have put it does not find it.
    const found = await app.get(`/search?collections=${C}&bbox=15.2,49,16.8,51`);
    expect(found.body.features.map((f: StacItem) => f.id)).not.toContain("two");
    // Retried, it is applied over the winner.
    expect((await send("PUT", `/collections/${C}/items/two`, item("two", 16))).status).toBe(200);
    expect((await app.catalogue.getItem(C, "two"))?.item.bbox?.[0]).toBe(16 - 0.5);
  });

  it("refuses a DELETE whose item changed after it was read with a retryable 503", async () => {
    beforeRecordWrite = undefined;
    const key = itemKey(C, "one");
    // The DELETE's read, then a PATCH lands before its conditional delete: simulated by patching
    // right after the read (the delete is not a PutItem, so the hook runs on the PATCH's own write).
    const original = app.doc.send;
    let raced = false;
    app.doc.send = (async (command: unknown, ...rest: unknown[]) => {
      const out = await (original as (...a: unknown[]) => Promise<unknown>)(command, ...rest);
      if (
        !raced &&
        command instanceof GetCommand &&
        command.input.Key?.[SK] === key.sk &&
        isItem(command.input.Key)
      ) {
        raced = true;
        const p = await send(
          "PATCH",
          `/collections/${C}/items/one`,
          { properties: { x: 1 } },
          "application/merge-patch+json",
        );
        expect(p.status).toBe(200);
      }
      return out;
    }) as typeof app.doc.send;
    try {
      const r = await send("DELETE", `/collections/${C}/items/one`);
      expect(r.status).toBe(503);
      expect((await app.catalogue.getItem(C, "one"))?.item.properties["x"]).toBe(1);
    } finally {
      app.doc.send = original;
    }
  });
});
