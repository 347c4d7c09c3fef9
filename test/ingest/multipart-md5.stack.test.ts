// Multipart uploads get the MD5 that DHuS clients check from one streamed read after they are indexed,
// written only while the item still describes the object that was read.
//
// What is real: multipart uploads to s3rver, the ingest handler fed S3 notifications, the MD5 step
// streaming the object back from s3rver, dynalite, and the STAC and DHuS APIs over HTTP. What is not:
// s3rver gives a completed multipart upload a plain MD5 ETag (AWS gives `<md5 of part md5s>-<parts>`,
// which is no checksum of the content) and keeps no additional checksums, so `AwsLikeStore` reports, for
// objects uploaded here, the ETag and composite SHA-256 that S3 computes from the very same parts.
import { createHash } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { Context, SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { makeIngestHandler } from "../../lambdas/ingest/app.ts";
import { makeIngestDeps, makeProductMd5Deps } from "../../lambdas/ingest/deps.ts";
import { loadConfig } from "../../shared/config.ts";
import { UUID_PROPERTY } from "../../shared/index/product-uuid.ts";
import { encodeEventKey } from "../../shared/ingest/events.ts";
import { InProcessMd5Jobs } from "../../shared/ingest/in-process-md5-jobs.ts";
import type { Md5Job } from "../../shared/ingest/md5-jobs.ts";
import { completeProductMd5, type Md5Result } from "../../shared/ingest/product-md5.ts";
import { silentLogger } from "../../shared/log.ts";
import { S3_CHECKSUM_FIELD } from "../../shared/products/assets.ts";
import type { ObjectInfo, StreamingObjectStore } from "../../shared/storage/object-store.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

/** A bucket the local stack does not watch: only the handler built here ingests it. */
const BUCKET = "multipart-uploads";
const PART = 5 * 2 ** 20; // S3's smallest part (but the last)
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

type AwsView = Required<Pick<ObjectInfo, "etag" | "checksums" | "checksumType">>;

/** The S3 adapter on s3rver, seen with the ETag and checksums S3 gives multipart uploads (see the top). */
class AwsLikeStore implements StreamingObjectStore {
  readonly bucket = BUCKET;
  readonly views = new Map<string, AwsView>(); // by s3rver's ETag
  streams = 0;
  streamedBytes = 0;
  /** Runs once, after an object has been streamed to its end and before the reader sees the end. */
  afterNextStream: (() => Promise<void>) | undefined;

  constructor(readonly inner: S3ObjectStore) {}

  async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await this.inner.head(key);
    const view = info?.etag ? this.views.get(info.etag) : undefined;
    if (!info || !view) return info;
    return { ...info, etag: view.etag, checksums: view.checksums, checksumType: view.checksumType };
  }
  getRange = (key: string, start: number, end: number) => this.inner.getRange(key, start, end);
  getObject = (key: string) => this.inner.getObject(key);
  list = (prefix: string) => this.inner.list(prefix);
  putObject = (key: string, body: Uint8Array | string, type?: string) =>
    this.inner.putObject(key, body, type);

  async openStream(key: string, etag: string) {
    const plain = [...this.views].find(([, v]) => v.etag === etag)?.[0] ?? etag;
    const stream = await this.inner.openStream(key, plain);
    if (!stream) return undefined;
    this.streams++;
    return this.watch(stream);
  }

  private async *watch(stream: AsyncIterable<Uint8Array>) {
    for await (const chunk of stream) {
      this.streamedBytes += chunk.length;
      yield chunk;
    }
    const hook = this.afterNextStream;
    this.afterNextStream = undefined;
    await hook?.();
  }
}

let stack: TestStack;
let store: AwsLikeStore;
let sequence = 0n;
const results: { job: Md5Job; result: Md5Result }[] = [];
/** MD5 jobs wait for this before they run, so tests can look at the catalogue in between. */
let gate: Promise<void> = Promise.resolve();
let jobs: InProcessMd5Jobs;

/** A multipart upload of `bytes` in 5 MiB parts; returns its bytes' MD5. */
async function uploadMultipart(key: string, bytes: Uint8Array): Promise<string> {
  const { UploadId } = await stack.s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  const parts: { PartNumber: number; ETag: string }[] = [];
  const partMd5s: Buffer[] = [];
  const partSha256s: Buffer[] = [];
  for (let start = 0, n = 1; start < bytes.length; start += PART, n++) {
    const body = bytes.subarray(start, start + PART);
    const out = await stack.s3.send(
      new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: n, Body: body }),
    );
    parts.push({ PartNumber: n, ETag: out.ETag! });
    partMd5s.push(createHash("md5").update(body).digest());
    partSha256s.push(createHash("sha256").update(body).digest());
  }
  await stack.s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: BUCKET,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: parts },
    }),
  );
  const head = await stack.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  store.views.set(head.ETag!.replace(/"/g, ""), {
    etag: `${md5(Buffer.concat(partMd5s))}-${parts.length}`,
    checksums: {
      sha256: `${createHash("sha256").update(Buffer.concat(partSha256s)).digest("base64")}-${parts.length}`,
    },
    checksumType: "COMPOSITE",
  });
  return md5(bytes);
}

/** The ingest handler as the queue calls it, with S3's notification of a completed multipart upload. */
function ingestHandler(maxBytes: number) {
  const deps = makeIngestDeps({
    doc: stack.doc,
    s3: stack.s3,
    table: stack.endpoints.dynamodb.table,
    log: silentLogger,
    md5: { maxBytes, jobs },
  });
  const handler = makeIngestHandler({ ...deps, storeFor: () => store });
  return async (key: string, sequencer = (BigInt(Date.now()) * 1000n + ++sequence).toString(16)) => {
    const notification = {
      Records: [
        {
          eventName: "ObjectCreated:CompleteMultipartUpload",
          eventTime: new Date().toISOString(),
          s3: { bucket: { name: BUCKET }, object: { key: encodeEventKey(key), sequencer } },
        },
      ],
    };
    const event = { Records: [{ messageId: `m-${sequencer}`, body: JSON.stringify(notification) }] };
    const out = await handler(event as unknown as SQSEvent, {} as Context);
    expect(out?.batchItemFailures).toEqual([]);
    return sequencer;
  };
}

const item = async (id: string) => (await stack.get(`/collections/sentinel-2-l2a/items/${id}`)).body;
async function dhusChecksum(uuid: string): Promise<unknown> {
  const { user, password } = stack.endpoints.auth;
  const res = await fetch(`${stack.api}/dhus/odata/v1/Products('${uuid}')?$format=json`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
  });
  const body = (await res.json()) as { d: { Checksum: { Algorithm: string; Value: unknown } } };
  expect(body.d.Checksum.Algorithm).toBe("MD5");
  return body.d.Checksum.Value;
}

beforeAll(async () => {
  stack = await startTestStack();
  await stack.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  store = new AwsLikeStore(new S3ObjectStore(stack.s3, BUCKET));
  const md5Deps = {
    ...makeProductMd5Deps({ ...stack, table: stack.endpoints.dynamodb.table, log: silentLogger }),
  };
  jobs = new InProcessMd5Jobs(async (job) => {
    await gate;
    const result = await completeProductMd5({ ...md5Deps, storeFor: () => store }, job);
    results.push({ job, result });
  }, silentLogger);
});
afterAll(async () => {
  await jobs?.idle();
  await stack?.close();
});
beforeEach(() => {
  results.length = 0;
  store.streams = 0;
  store.streamedBytes = 0;
  store.inner.bytesRead = 0;
  jobs.started = 0;
});

function product(tile: string, cloudCover = 10) {
  const p = generateSentinel2Product({
    tile,
    datetime: "2024-06-01T10:30:21.024Z",
    cloudCover,
    targetSize: 12 * 2 ** 20,
  });
  return { ...p, key: `multipart/${p.key}` };
}

describe("MD5 of multipart uploads", () => {
  it("is the MD5 of the uploaded bytes, in the STAC item and DHuS, after the product is already searchable", async () => {
    const ingest = ingestHandler(
      loadConfig({ HEXARCHIVE_TABLE: "t", HEXARCHIVE_PRODUCTS_BUCKET: "bkt" }).md5MaxBytes,
    );
    const p = product("33UWR");
    const expected = await uploadMultipart(p.key, p.bytes);
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const sequencer = await ingest(p.key);

    // Indexed and searchable while the MD5 job waits; S3's composite SHA-256 is kept as what it is.
    const found = await stack.get(`/search?ids=${p.name}`);
    expect(found.body.features).toHaveLength(1);
    const before = (await item(p.name)).assets.product;
    expect(before["file:size"]).toBe(p.bytes.length);
    expect(before["file:checksum"]).toBeUndefined();
    expect(before[S3_CHECKSUM_FIELD]).toMatchObject({ algorithm: "SHA256", type: "COMPOSITE", parts: 3 });
    const uuid = (await item(p.name)).properties[UUID_PROPERTY];
    expect(await dhusChecksum(uuid)).toBeNull();
    expect(jobs.started).toBe(1);

    open();
    await jobs.idle();
    expect(results.map((r) => r.result)).toEqual([{ status: "recorded", md5: expected }]);
    expect(store.streams).toBe(1);
    expect(store.streamedBytes).toBe(p.bytes.length);
    const after = (await item(p.name)).assets.product;
    expect(after["file:checksum"]).toBe(`d50110${expected}`);
    expect(after[S3_CHECKSUM_FIELD]).toMatchObject({ type: "COMPOSITE" });
    expect(await dhusChecksum(uuid)).toBe(expected);

    // The same event delivered again re-indexes the same object: the MD5 stays, nothing is read again.
    await ingest(p.key, sequencer);
    await jobs.idle();
    expect(jobs.started).toBe(1);
    expect((await item(p.name)).assets.product["file:checksum"]).toBe(`d50110${expected}`);
  });

  it("never gives a re-uploaded product the MD5 of the object it replaced", async () => {
    const ingest = ingestHandler(2 ** 30);
    const first = product("33UXR", 10);
    const second = product("33UXR", 20);
    expect(second.key).toBe(first.key);
    const firstMd5 = await uploadMultipart(first.key, first.bytes);
    let secondMd5 = "";
    // The re-upload lands, and is indexed, while the first object is being read.
    store.afterNextStream = async () => {
      secondMd5 = await uploadMultipart(second.key, second.bytes);
      await ingest(second.key);
    };
    gate = Promise.resolve();
    await ingest(first.key);
    await jobs.idle();

    expect(secondMd5).not.toBe(firstMd5);
    const outcomes = results.map((r) => r.result);
    expect(outcomes).toContainEqual({
      status: "skipped",
      reason: "the item changed while the object was read",
    });
    expect(outcomes).toContainEqual({ status: "recorded", md5: secondMd5 });
    expect((await item(first.name)).assets.product["file:checksum"]).toBe(`d50110${secondMd5}`);
    expect(await dhusChecksum((await item(first.name)).properties[UUID_PROPERTY])).toBe(secondMd5);
  });

  it("does not read an object that was replaced before its job ran", async () => {
    const ingest = ingestHandler(2 ** 30);
    const first = product("33UVQ", 10);
    const second = product("33UVQ", 30);
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    await uploadMultipart(first.key, first.bytes);
    await ingest(first.key);
    const secondMd5 = await uploadMultipart(second.key, second.bytes);
    await ingest(second.key);
    open();
    await jobs.idle();
    expect(results.map((r) => r.result)).toEqual(
      expect.arrayContaining([
        { status: "skipped", reason: "the item has changed since it was indexed" },
        { status: "recorded", md5: secondMd5 },
      ]),
    );
    expect(store.streams).toBe(1);
    expect((await item(first.name)).assets.product["file:checksum"]).toBe(`d50110${secondMd5}`);
  });

  it("is not computed, and the product not read whole, with HEXARCHIVE_MD5_MAX_BYTES=0 or a product above it", async () => {
    const config = loadConfig({
      HEXARCHIVE_TABLE: "t",
      HEXARCHIVE_PRODUCTS_BUCKET: "bkt",
      HEXARCHIVE_MD5_MAX_BYTES: "0",
    });
    expect(config.md5MaxBytes).toBe(0);
    gate = Promise.resolve();
    const off = product("34UCV");
    await uploadMultipart(off.key, off.bytes);
    await ingestHandler(config.md5MaxBytes)(off.key);
    const above = product("34UDV");
    await uploadMultipart(above.key, above.bytes);
    await ingestHandler(above.bytes.length - 1)(above.key);
    await jobs.idle();

    expect(jobs.started).toBe(0);
    expect(store.streams).toBe(0);
    // Ingest read metadata only: a small fraction of the two products.
    expect(store.inner.bytesRead).toBeLessThan((off.bytes.length + above.bytes.length) / 20);
    for (const p of [off, above]) {
      const found = await item(p.name);
      expect(found.assets.product["file:checksum"]).toBeUndefined();
      expect(await dhusChecksum(found.properties[UUID_PROPERTY])).toBeNull();
    }
  });
});
