// Ingest writes the change log: an uploaded product is a `created` change with the stored item's
// hash, a re-upload an `updated` one (its `updated` date moves), and removing the object a `deleted` one whose
// cause says so (read with a short settle window over the stack's own table).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DEFAULT_TIMING } from "../../shared/storage/dynamo-change-log.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
let reader: DynamoCatalogue;
beforeAll(async () => {
  stack = await startTestStack();
  reader = new DynamoCatalogue(stack.doc, stack.endpoints.dynamodb.table, {
    changeTiming: { ...DEFAULT_TIMING, settleMs: 50 },
  });
});
afterAll(() => stack?.close());

const read = async (since: string) => {
  await new Promise((r) => setTimeout(r, 100));
  return (await reader.readChanges({ since, collection: "sentinel-2-l2a", limit: 100 })).changes;
};

describe("ingest and the change log", () => {
  it("logs an upload as created, a re-upload as updated, a removal as deleted (withdrawn)", async () => {
    const since = new Date().toISOString();
    const p = generateSentinel2Product({ tile: "33UVR", datetime: "2023-08-01T10:00:31.024Z" });
    await stack.upload(p.key, p.bytes, "application/zip");
    const stored = await stack.catalogue.getItem("sentinel-2-l2a", p.name);
    const created = await read(since);
    expect(created.map((c) => [c.kind, c.id])).toEqual([["created", p.name]]);
    expect(created[0]!.hash).toBe(stored!.hash);
    expect(created[0]!.version).toBe(stored!.version);

    await new Promise((r) => setTimeout(r, 1100));
    await stack.upload(p.key, p.bytes, "application/zip");
    const again = await read(created[0]!.cursor);
    expect(again.map((c) => c.kind)).toEqual(["updated"]);

    await stack.remove(p.key);
    const gone = await read(again[0]!.cursor);
    expect(gone.map((c) => [c.kind, c.id, c.deletion?.cause, c.deletion?.by])).toEqual([
      ["deleted", p.name, "withdrawn", "ingest"],
    ]);
    expect(gone[0]!.deletion?.text).toContain(p.key);
  });
});
