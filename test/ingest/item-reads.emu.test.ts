// Ingest reads an item's record once per product: the read that decides whether the object may replace
// the item also tells the conditional write which rows it replaces. Counted at the DynamoDB client,
// over dynalite, with the product in memory.
import { S3Client } from "@aws-sdk/client-s3";
import { BatchGetCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { makeIngestDeps } from "../../lambdas/ingest/deps.ts";
import { PARTITION_PREFIXES, PK } from "../../shared/index/keys.ts";
import { type ObjectEvent, padSequencer } from "../../shared/ingest/events.ts";
import { type IngestDeps, ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { silentLogger } from "../../shared/log.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let db: TestTable;
let deps: IngestDeps;
const store = new MemoryObjectStore("products");
/** Item records read since the last reset (GetItem, BatchGetItem keys). */
let itemReads = 0;

beforeAll(async () => {
  db = await startTestTable();
  const send = db.doc.send.bind(db.doc) as (...args: unknown[]) => unknown;
  const isItem = (key: Record<string, unknown>) => String(key[PK]).startsWith(PARTITION_PREFIXES.items);
  db.doc.send = ((command: GetCommand | BatchGetCommand, ...rest: unknown[]) => {
    if (command instanceof GetCommand && isItem(command.input.Key!)) itemReads++;
    if (command instanceof BatchGetCommand)
      for (const t of Object.values(command.input.RequestItems ?? {}))
        itemReads += (t.Keys ?? []).filter(isItem).length;
    return send(command, ...rest);
  }) as typeof db.doc.send;
  const s3 = new S3Client({ region: "us-east-1" }); // never called: products are read from `store`
  deps = {
    ...makeIngestDeps({ doc: db.doc, s3, table: db.table, log: silentLogger }),
    storeFor: () => store,
  };
});
afterAll(() => db?.close());
beforeEach(() => {
  itemReads = 0;
});

const p = generateSentinel2Product({ tile: "33UVR", datetime: "2023-06-01T10:00:00.024Z" });
const key = `reads/${p.name}.SAFE.zip`;
const event = (kind: ObjectEvent["kind"], seq: string): ObjectEvent => ({
  kind,
  bucket: store.bucket,
  key,
  sequencer: padSequencer(seq),
  time: new Date().toISOString(),
});
const stored = () => new DynamoCatalogue(db.doc, db.table).getItem("sentinel-2-l2a", p.name);

describe("ingest reads an item's record once", () => {
  it("when the product is new", async () => {
    store.put(key, p.bytes, "application/zip");
    expect((await ingestObjectEvent(deps, event("created", "0A"))).status).toBe("indexed");
    expect(itemReads).toBe(1);
    expect((await stored())?.source).toBe(key);
  });

  it("when the product replaces its item", async () => {
    const before = await stored();
    itemReads = 0;
    expect((await ingestObjectEvent(deps, event("created", "0B"))).status).toBe("indexed");
    expect(itemReads).toBe(1);
    const after = await stored();
    expect(after?.version).toBe(padSequencer("0B"));
    // Same footprint, new version: its rows are rewritten under the same keys.
    expect(after?.rowKeys).toEqual(before?.rowKeys);
  });

  it("when the product is removed, with its rows", async () => {
    const rows = (await stored())!.rowKeys;
    store.delete(key);
    itemReads = 0;
    expect((await ingestObjectEvent(deps, event("removed", "0C"))).status).toBe("removed");
    expect(itemReads).toBe(1);
    expect(await stored()).toBeUndefined();
    const left = await db.doc.send(
      new BatchGetCommand({
        RequestItems: { [db.table]: { Keys: rows.slice(0, 100).map((k) => ({ pk: k.pk, sk: k.sk })) } },
      }),
    );
    expect(left.Responses?.[db.table] ?? []).toEqual([]);
  });
});
