// Replayed and out-of-order S3 events (which SQS may deliver in any order) never let an older state win.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { makeIngestDeps } from "../../lambdas/ingest/deps.ts";
import { type ObjectEvent, padSequencer, parseS3Notification } from "../../shared/ingest/events.ts";
import { ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { silentLogger } from "../../shared/log.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const event = (kind: ObjectEvent["kind"], key: string, seq: string): ObjectEvent => ({
  kind,
  bucket: stack.bucket,
  key,
  // Far above the sequencers the local stack hands out, so these hand-made events are the newest.
  sequencer: padSequencer(`FFFFFFFFFFFFFFFFFFFFFFFF${seq}`),
  time: new Date().toISOString(),
});

describe("event order", () => {
  it("ignores a created event older than a removal already applied", async () => {
    const deps = makeIngestDeps({
      doc: stack.doc,
      s3: stack.s3,
      table: stack.endpoints.dynamodb.table,
      log: silentLogger,
    });
    const p = generateSentinel2Product({ tile: "33UVR", datetime: "2022-05-05T10:00:00.024Z" });
    const key = `order/${p.name}.SAFE.zip`;
    await stack.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: p.bytes }));
    await stack.settled();
    expect((await ingestObjectEvent(deps, event("created", key, "0A"))).status).toBe("indexed");
    expect((await ingestObjectEvent(deps, event("removed", key, "0C"))).status).toBe("removed");
    const stale = await ingestObjectEvent(deps, event("created", key, "0B"));
    expect(stale.status).toBe("skipped");
    expect(await stack.catalogue.getItem("sentinel-2-l2a", p.name)).toBeUndefined();
    // The same created event twice yields one item.
    expect((await ingestObjectEvent(deps, event("created", key, "0D"))).status).toBe("indexed");
    expect((await ingestObjectEvent(deps, event("created", key, "0D"))).status).toBe("indexed");
    const found = await stack.get(`/search?ids=${p.name}`);
    expect(found.body.features).toHaveLength(1);
  });

  it("decodes S3's key encoding in notifications", () => {
    const [ev] = parseS3Notification({
      Records: [
        {
          eventName: "ObjectCreated:Put",
          s3: { bucket: { name: "b" }, object: { key: "incoming/my+product%28v2%29.zip", sequencer: "1F" } },
        },
      ],
    });
    expect(ev?.key).toBe("incoming/my product(v2).zip");
    expect(ev?.sequencer).toBe(padSequencer("1F"));
  });
});
