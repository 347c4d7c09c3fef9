// A relay into a second catalogue: two local stacks over one S3 emulator (as two deployments over one
// AWS S3, each with its own bucket); the first relays matching products into the second's bucket,
// server-side, and the second indexes them by its own ingest path, with their provenance on the copy.
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_PRODUCTS } from "../../dev/local/samples.ts";
import { generateProduct } from "../../dev/synthetic/plan-product.ts";
import { s3RelayCopier } from "../../shared/subscriptions/relay.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const DOWNSTREAM = "downstream-products";
let upstream: TestStack;
let downstream: TestStack;

beforeAll(async () => {
  upstream = await startTestStack({ changes: "catalogue", relayBuckets: [DOWNSTREAM] });
  downstream = await startTestStack({ s3: upstream.s3Emulator, productsBucket: DOWNSTREAM });
}, 120_000);
afterAll(async () => {
  await downstream?.close();
  await upstream?.close();
});

const tile = (t: string) => SAMPLE_PRODUCTS.find((s) => "tile" in s && s.tile === t)!;
// Over Bohemia: 33UVR lies in it, 31UDQ (near Paris) does not.
const inside = generateProduct({ ...tile("33UVR"), prefix: "relay/" });
const outside = generateProduct({ ...tile("31UDQ"), prefix: "relay/" });

async function waitFor<T>(f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("a relay into another hexarchive", () => {
  it("copies matching products into the second catalogue's bucket, which indexes them (and only them)", async () => {
    const operator = `Bearer ${upstream.issuer.tokenFor("operator")}`;
    const made = await fetch(`${upstream.api}/subscriptions`, {
      method: "POST",
      headers: { authorization: operator, "content-type": "application/json" },
      body: JSON.stringify({
        search: { bbox: [13.0, 49.0, 16.0, 51.0] },
        events: ["created"],
        delivery: { type: "relay", bucket: DOWNSTREAM },
      }),
    });
    expect(made.status).toBe(201);

    await upstream.upload(inside.key, inside.bytes, inside.contentType);
    await upstream.upload(outside.key, outside.bytes, outside.contentType);
    const mine = (await upstream.get("/search?limit=10")).body.features as {
      id: string;
      collection: string;
    }[];
    expect(mine).toHaveLength(2);
    const wanted = mine.find((f) => inside.key.includes(f.id))!;
    expect(wanted).toBeDefined();

    // The first stack's timer dispatches and relays; the second ingests the copy from its own bucket.
    const found = await waitFor(async () => {
      await downstream.settled();
      const res = await downstream.get("/search?limit=10");
      return res.body.features?.length > 0 ? res.body.features : undefined;
    });
    expect(found.map((f: { id: string }) => f.id)).toEqual([wanted.id]);
    expect(await downstream.catalogue.listFailures()).toEqual([]);

    const copy = await downstream.s3.send(new HeadObjectCommand({ Bucket: DOWNSTREAM, Key: inside.key }));
    expect(copy.Metadata).toMatchObject({
      "hexarchive-source": `${upstream.api}/collections/${wanted.collection}/items/${wanted.id}`,
      "hexarchive-source-object": `s3://${upstream.bucket}/${inside.key}`,
    });
    const original = await upstream.s3.send(
      new HeadObjectCommand({ Bucket: upstream.bucket, Key: inside.key }),
    );
    expect(copy.ETag).toBe(original.ETag);
    await expect(
      downstream.s3.send(new HeadObjectCommand({ Bucket: DOWNSTREAM, Key: outside.key })),
    ).rejects.toThrow();

    // A re-run copies nothing again, and a repeated copy request finds the copy in place.
    const again = await upstream.subscriptions!.run();
    expect(again.relayedProducts).toBe(0);
    const c = {
      sourceBucket: upstream.bucket,
      sourceKey: inside.key,
      targetBucket: DOWNSTREAM,
      targetKey: inside.key,
      metadata: { "hexarchive-source-object": `s3://${upstream.bucket}/${inside.key}` },
    };
    expect(await s3RelayCopier(upstream.s3).pending(c)).toBeUndefined();
    // Another source object under the same key is not taken for this copy.
    expect(
      await s3RelayCopier(upstream.s3).pending({
        ...c,
        metadata: { "hexarchive-source-object": "s3://x/y" },
      }),
    ).toBe(inside.bytes.length);
    const after = await downstream.s3.send(new HeadObjectCommand({ Bucket: DOWNSTREAM, Key: inside.key }));
    expect(after.LastModified).toEqual(copy.LastModified);
    await downstream.settled();
    expect((await downstream.get("/search?limit=10")).body.features).toHaveLength(1);
  }, 120_000);
});
