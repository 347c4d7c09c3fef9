// The local stack behaves like the deployed one: queue retries and a dead-letter record for failures an
// emulator cannot produce, sidecar items, endpoints.json, data that survives a restart, and an ordinary
// S3 client (boto3) as the uploader.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalIngestQueue } from "../../dev/local/ingest-queue.ts";
import { startLocalStack } from "../../dev/local/stack.ts";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { silentLogger } from "../../shared/log.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

describe("ingest queue semantics", () => {
  it("retries a failed message, then moves it to the dead-letter file after maxReceiveCount", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hexarchive-queue-"));
    const seen: string[] = [];
    // A handler that reports every message as failed: what a DynamoDB outage looks like to the queue.
    const failing = async (e: SQSEvent) => {
      for (const r of e.Records) seen.push(`${r.body}#${r.attributes.ApproximateReceiveCount}`);
      return { batchItemFailures: e.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    };
    const q = new LocalIngestQueue(failing, silentLogger, {
      batchSize: 10,
      maxReceiveCount: 3,
      visibilityTimeoutMs: 10,
      deadLetterFile: join(dir, "dlq.ndjson"),
    });
    q.send("one");
    await q.idle();
    expect(seen).toEqual(["one#1", "one#2", "one#3"]);
    const dead = readFileSync(join(dir, "dlq.ndjson"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(dead).toHaveLength(1);
    expect(dead[0].body).toBe("one");
    rmSync(dir, { recursive: true, force: true });
  });

  it("delivers a message that succeeds on a later try exactly once more, and drops nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hexarchive-queue-"));
    let calls = 0;
    const flaky = async (_e: SQSEvent) => {
      calls++;
      if (calls === 1) throw new Error("throttled");
      return { batchItemFailures: [] };
    };
    const q = new LocalIngestQueue(flaky, silentLogger, {
      batchSize: 10,
      maxReceiveCount: 5,
      visibilityTimeoutMs: 10,
      deadLetterFile: join(dir, "dlq.ndjson"),
    });
    q.send("a");
    q.send("b");
    await q.idle();
    expect(calls).toBe(2);
    expect(existsSync(join(dir, "dlq.ndjson"))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("a running local stack", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  it("indexes a STAC Item sidecar on its own, resolving relative asset hrefs against its key", async () => {
    const item = {
      type: "Feature",
      stac_version: "1.1.0",
      id: "my-orthophoto-2024",
      collection: "orthophotos",
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [16, 49],
            [16.2, 49],
            [16.2, 49.2],
            [16, 49.2],
            [16, 49],
          ],
        ],
      },
      bbox: [16, 49, 16.2, 49.2],
      properties: { datetime: "2024-04-01T09:00:00Z" },
      links: [],
      assets: { image: { href: "./ortho.tif", type: "image/tiff; application=geotiff", roles: ["data"] } },
    };
    await stack.upload("deliveries/ortho/ortho.stac.json", JSON.stringify(item), "application/json");
    const res = await stack.get("/search?bbox=16.05,49.05,16.1,49.1");
    expect(res.body.features.map((f: { id: string }) => f.id)).toEqual(["my-orthophoto-2024"]);
    // The asset arrives after its sidecar and is downloadable through the item.
    await stack.upload("deliveries/ortho/ortho.tif", "tiff bytes", "image/tiff");
    const href = res.body.features[0].assets.image.href;
    const redirect = await fetch(href, { redirect: "manual" });
    expect(redirect.status).toBe(302);
    const bytes = await fetch(redirect.headers.get("location")!);
    expect(await bytes.text()).toBe("tiff bytes");
  });

  it("records an invalid sidecar as a failure that names the problem", async () => {
    await stack.upload(
      "deliveries/bad.stac.json",
      JSON.stringify({ type: "Feature", id: "x" }),
      "application/json",
    );
    const f = (await stack.catalogue.listFailures()).find((x) => x.key === "deliveries/bad.stac.json");
    expect(f?.reason).toMatch(/geometry|properties|datetime|assets/);
  });

  it("clears a failure when a fixed product is uploaded under the same key", async () => {
    await stack.upload("fix/later.stac.json", "{ not json", "application/json");
    expect((await stack.catalogue.listFailures()).some((f) => f.key === "fix/later.stac.json")).toBe(true);
    const fixed = {
      type: "Feature",
      stac_version: "1.1.0",
      id: "fixed-later",
      collection: "orthophotos",
      geometry: { type: "Point", coordinates: [10, 10] },
      bbox: [10, 10, 10, 10],
      properties: { datetime: "2024-01-01T00:00:00Z" },
      links: [],
      assets: {},
    };
    await stack.upload("fix/later.stac.json", JSON.stringify(fixed), "application/json");
    expect((await stack.catalogue.listFailures()).some((f) => f.key === "fix/later.stac.json")).toBe(false);
    expect((await stack.get("/search?ids=fixed-later")).body.features).toHaveLength(1);
  });

  it("accepts uploads from boto3, an ordinary S3 client, and indexes them", async (ctx) => {
    const py = "/usr/bin/python3";
    if (!existsSync(py) || spawnSync(py, ["-c", "import boto3"]).status !== 0) {
      console.warn(
        "SKIPPED boto3 upload: /usr/bin/python3 with boto3 is missing (apt-get install python3-boto3)",
      );
      ctx.skip();
    }
    const p = generateSentinel2Product({ tile: "30TVK", datetime: "2021-06-01T11:00:00.024Z" });
    const dir = mkdtempSync(join(tmpdir(), "hexarchive-boto3-"));
    const file = join(dir, `${p.name}.SAFE.zip`);
    writeFileSync(file, p.bytes);
    const e = stack.endpoints.s3;
    // Asynchronously: the emulator answering boto3 runs in this very process.
    await promisify(execFile)(py, [
      "-c",
      `import boto3,sys
s3 = boto3.client("s3", endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], region_name="us-east-1")
s3.upload_file(sys.argv[4], sys.argv[5], sys.argv[6])`,
      e.endpoint,
      e.accessKeyId,
      e.secretAccessKey,
      file,
      e.bucket,
      `boto3/${p.name}.SAFE.zip`,
    ]);
    await stack.settled();
    const res = await stack.get(`/search?ids=${p.name}`);
    expect(res.body.features).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe("restarts", () => {
  it("writes endpoints.json and keeps the catalogue across a restart", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-restart-"));
    const opts = { dataDir, apiPort: 0, s3Port: 0, dynamoPort: 0, presignSeconds: 60, log: silentLogger };
    const first = await startLocalStack(opts);
    const endpoints = JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8"));
    expect(endpoints).toMatchObject({
      api: first.endpoints.api,
      s3: {
        endpoint: expect.any(String),
        bucket: expect.any(String),
        region: "us-east-1",
        accessKeyId: expect.any(String),
        secretAccessKey: expect.any(String),
      },
    });
    const p = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
    await first.s3.send(new PutObjectCommand({ Bucket: endpoints.s3.bucket, Key: p.key, Body: p.bytes }));
    await first.settled();
    await first.close();

    const second = await startLocalStack(opts);
    const res = await fetch(`${second.endpoints.api}/search?ids=${p.name}`);
    expect(((await res.json()) as { features: unknown[] }).features).toHaveLength(1);
    await second.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe("endpoints.json", () => {
  it("holds exactly the documented S3 keys (nothing the SDK adds to credential objects)", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-endpoints-"));
    const s = await startLocalStack({
      dataDir,
      apiPort: 0,
      s3Port: 0,
      dynamoPort: 0,
      presignSeconds: 60,
      log: silentLogger,
    });
    const p = generateSentinel2Product({ tile: "33UVR", datetime: "2020-03-03T10:00:00.024Z" });
    // Use the clients first: the SDK annotates the credential objects it resolves.
    await s.s3.send(new PutObjectCommand({ Bucket: s.endpoints.s3.bucket, Key: p.key, Body: p.bytes }));
    await s.settled();
    await s.close();
    const again = await startLocalStack({
      dataDir,
      apiPort: 0,
      s3Port: 0,
      dynamoPort: 0,
      presignSeconds: 60,
      log: silentLogger,
    });
    await again.s3.send(new PutObjectCommand({ Bucket: again.endpoints.s3.bucket, Key: "x.txt", Body: "x" }));
    await again.settled();
    const endpoints = JSON.parse(readFileSync(join(dataDir, "endpoints.json"), "utf8"));
    expect(Object.keys(endpoints.s3).sort()).toEqual([
      "accessKeyId",
      "bucket",
      "endpoint",
      "region",
      "secretAccessKey",
    ]);
    await again.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
});
