// A product uploaded file by file is tried each time one of its key files arrives: an attempt made
// before the folder was complete leaves no failure behind once the product is indexed, and a folder
// that stays incomplete keeps a failure naming what is missing.
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { makeIngestDeps } from "../../lambdas/ingest/deps.ts";
import { type ObjectEvent, padSequencer } from "../../shared/ingest/events.ts";
import { type IngestDeps, ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { silentLogger } from "../../shared/log.ts";
import { openZipSource } from "../../shared/products/source/zip-source.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

/** The files of a synthetic Sentinel-2 SAFE, by path inside the product folder. */
async function sentinel2Files(tile: string): Promise<{ name: string; files: Map<string, Uint8Array> }> {
  const p = generateSentinel2Product({ tile, datetime: "2023-06-01T10:20:30.024Z" });
  const store = new MemoryObjectStore();
  const source = await openZipSource(store, store.put(p.key, p.bytes));
  const files = new Map<string, Uint8Array>();
  for (const f of source.files) if (!f.path.endsWith("/")) files.set(f.path, await source.read(f.path));
  return { name: p.name, files };
}

const isMtd = (path: string) => /^MTD_MSIL(1C|2A)\.xml$/.test(path);

async function failuresUnder(prefix: string) {
  return (await stack.catalogue.listFailures()).filter((f) => f.key.startsWith(prefix));
}

describe("failures of products uploaded as folders", () => {
  it("a Sentinel-2 folder with manifest.safe first and MTD last ends indexed with no failure", async () => {
    const { name, files } = await sentinel2Files("32TQM");
    const prefix = "uploads/early-manifest/";
    const order = [
      "manifest.safe",
      ...[...files.keys()].filter((p) => p !== "manifest.safe" && !isMtd(p)),
      ...[...files.keys()].filter(isMtd),
    ];
    await stack.upload(`${prefix}manifest.safe`, files.get("manifest.safe")!);
    // The early attempt is recorded: the folder holds no product metadata yet.
    expect((await failuresUnder(prefix)).map((f) => f.key)).toEqual([`${prefix}manifest.safe`]);
    for (const path of order.slice(1)) await stack.upload(`${prefix}${path}`, files.get(path)!);

    const found = await stack.get(`/search?ids=${name}`);
    expect(found.body.features).toHaveLength(1);
    expect(await failuresUnder(prefix)).toEqual([]);
    // Every key file's recorded outcome agrees with the records: reconcile finds nothing to redo.
    const report = await stack.reconcile();
    expect(report).toMatchObject({ stale: 0, missing: 0, resynced: 0, duplicates: 0 });
  });

  it("a folder whose MTD never arrives keeps a failure naming what is missing", async () => {
    const { files } = await sentinel2Files("33TUM");
    const prefix = "uploads/no-mtd/";
    for (const [path, bytes] of files) if (!isMtd(path)) await stack.upload(`${prefix}${path}`, bytes);
    const failures = await failuresUnder(prefix);
    expect(failures.map((f) => f.key)).toEqual([`${prefix}manifest.safe`]);
    expect(failures[0]!.reason).toMatch(/missing product metadata \(MTD_MSIL/);
  });

  it("a manifest.safe read still under way when the MTD indexes the product is applied again after it", async () => {
    // A bucket the stack's notifications ignore: the test applies the two events itself, overlapping.
    const bucket = "folder-race";
    await stack.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const { name, files } = await sentinel2Files("34TCR");
    const prefix = "race/";
    const put = (path: string) =>
      stack.s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${path}`, Body: files.get(path)! }),
      );
    const event = (path: string, seq: string): ObjectEvent => ({
      kind: "created",
      bucket,
      key: `${prefix}${path}`,
      sequencer: padSequencer(`FFFFFFFFFFFFFFFFFFFFFFFF${seq}`),
      time: new Date().toISOString(),
    });
    const base = makeIngestDeps({
      doc: stack.doc,
      s3: stack.s3,
      table: stack.endpoints.dynamodb.table,
      log: silentLogger,
    });
    let open: () => void = () => {};
    const opened = new Promise<void>((r) => {
      open = r;
    });
    let reached: () => void = () => {};
    const readDone = new Promise<void>((r) => {
      reached = r;
    });
    // The manifest's event has read the folder (no MTD yet) and waits before recording its failure.
    const slow: IngestDeps = {
      ...base,
      readProduct: async (ctx) => {
        const out = await base.readProduct(ctx).catch((err) => err as Error);
        reached();
        await opened;
        if (out instanceof Error) throw out;
        return out;
      },
    };
    const mtd = [...files.keys()].find(isMtd)!;
    for (const path of files.keys()) if (path !== mtd) await put(path);
    const early = ingestObjectEvent(slow, event("manifest.safe", "01"));
    await readDone;
    await put(mtd);
    const indexed = ingestObjectEvent(base, event(mtd, "02"));
    await new Promise((r) => setTimeout(r, 500));
    open();
    expect((await early).status).toBe("failed");
    expect(await indexed).toMatchObject({ status: "indexed", id: name });
    expect(await failuresUnder(prefix)).toEqual([]);
  });
});
