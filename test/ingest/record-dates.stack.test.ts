// An ingested item's record dates: `created` when the archive first indexed it, kept across re-ingest;
// `updated` at every write. The DHuS facade's ingestiondate is the former, its creationdate the
// product's own processing time, and neither is the sensing end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { makeIngestDeps } from "../../lambdas/ingest/deps.ts";
import { fieldValue } from "../../shared/dhus/fields.ts";
import { summarize } from "../../shared/index/rows.ts";
import { padSequencer } from "../../shared/ingest/events.ts";
import { ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { silentLogger } from "../../shared/log.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

describe("record dates", () => {
  it("created is the first indexing, kept by a re-ingest; updated is the last write; DHuS dates follow", async () => {
    const p = generateSentinel2Product({ tile: "32TNS", datetime: "2023-07-01T10:20:31.024Z" });
    const before = Date.now();
    await stack.upload(p.key, p.bytes, "application/zip");
    const after = Date.now();
    const first = (await stack.get(`/collections/sentinel-2-l2a/items/${p.name}`)).body;
    const created = first.properties.created as string;
    expect(Date.parse(created)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(created)).toBeLessThanOrEqual(after + 1000);
    expect(first.properties.updated).toBe(created);

    // DHuS: ingested when the archive indexed it, created when the product was generated.
    const stored = await stack.catalogue.getItem("sentinel-2-l2a", p.name);
    const summary = summarize(stored!.item, stored!.version);
    expect(fieldValue("ingestiondate", summary)).toBe(created);
    expect(fieldValue("creationdate", summary)).toBe(first.properties["processing:datetime"]);
    expect(fieldValue("creationdate", summary)).not.toBe(summary.end);
    expect(fieldValue("ingestiondate", summary)).not.toBe(summary.end);

    // Uploaded again (a re-upload of the same product): created stays, updated moves.
    await new Promise((r) => setTimeout(r, 1100));
    await stack.upload(p.key, p.bytes, "application/zip");
    const reuploaded = (await stack.get(`/collections/sentinel-2-l2a/items/${p.name}`)).body;
    expect(reuploaded.properties.created).toBe(created);
    expect(Date.parse(reuploaded.properties.updated)).toBeGreaterThan(Date.parse(created));

    // The same event again, later (a redelivery): created stays, updated is this write's time.
    const later = new Date(Date.parse(created) + 3_600_000);
    const deps = {
      ...makeIngestDeps({
        doc: stack.doc,
        s3: stack.s3,
        table: stack.endpoints.dynamodb.table,
        log: silentLogger,
      }),
      now: () => later,
    };
    const event = {
      kind: "created" as const,
      bucket: stack.bucket,
      key: p.key,
      sequencer: padSequencer("FFFFFFFFFFFFFFFFFFFFFFFF0A"),
      time: later.toISOString(),
    };
    expect((await ingestObjectEvent(deps, event)).status).toBe("indexed");
    const again = (await stack.get(`/collections/sentinel-2-l2a/items/${p.name}`)).body;
    expect(again.properties.created).toBe(created);
    expect(again.properties.updated).toBe(later.toISOString());
  });
});
