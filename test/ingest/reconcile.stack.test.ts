// Events lost while the local stack was stopped are repaired by the reconcile at start: objects never
// ingested, objects overwritten, items and failure records of deleted objects; a second run finds nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../../dev/local/stack.ts";
import { silentLogger } from "../../shared/log.ts";
import { pointSidecar } from "../support/collections.ts";

const dataDir = mkdtempSync(join(tmpdir(), "hexarchive-reconcile-"));
const C = "reconcile-test";
const start = () =>
  startLocalStack({
    dataDir,
    apiPort: 0,
    s3Port: 0,
    dynamoPort: 0,
    presignSeconds: 300,
    log: silentLogger,
    queue: { visibilityTimeoutMs: 30_000, retryDelayMs: 50, maxReceiveCount: 3 },
  });
let stack: LocalStack | undefined;
afterAll(async () => {
  await stack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const sidecar = (id: string) => pointSidecar(C, id);
const put = (s: LocalStack, key: string, body: string) =>
  s.s3.send(new PutObjectCommand({ Bucket: s.endpoints.s3.bucket, Key: key, Body: body }));
const del = (s: LocalStack, key: string) =>
  s.s3.send(new DeleteObjectCommand({ Bucket: s.endpoints.s3.bucket, Key: key }));

describe("reconcile", () => {
  it("repairs what events lost while the stack was down would have done", async () => {
    stack = await start();
    await put(stack, "r/kept.stac.json", sidecar("kept"));
    await put(stack, "r/changed.stac.json", sidecar("changed-before"));
    await put(stack, "r/deleted.stac.json", sidecar("deleted"));
    await put(stack, "r/bad.stac.json", "{ not json");
    await stack.settled();
    expect((await stack.catalogue.listFailures()).map((f) => f.key)).toEqual(["r/bad.stac.json"]);

    // From here on the stack delivers nothing, and its journal is lost with it: these events never arrive.
    await stack.queue.stop();
    await put(stack, "r/new.stac.json", sidecar("new"));
    await put(stack, "r/changed.stac.json", sidecar("changed-after"));
    await del(stack, "r/deleted.stac.json");
    await del(stack, "r/bad.stac.json");
    await stack.close();
    rmSync(join(dataDir, "ingest-queue.ndjson"));

    stack = await start();
    expect(stack.reconciledAtStart).toMatchObject({
      objects: 3,
      missing: 1,
      stale: 1,
      ghosts: 1,
      orphanFailures: 1,
      duplicates: 0,
      resynced: 4,
    });
    await stack.settled();
    const ids = ["kept", "changed-before", "changed-after", "deleted", "new"];
    const stored = await Promise.all(ids.map((id) => stack!.catalogue.getItem(C, id)));
    expect(Object.fromEntries(ids.map((id, i) => [id, stored[i]?.source ?? null]))).toEqual({
      kept: "r/kept.stac.json",
      "changed-before": null,
      "changed-after": "r/changed.stac.json",
      deleted: null,
      new: "r/new.stac.json",
    });
    expect(await stack.catalogue.listFailures()).toEqual([]);

    const again = await stack.reconcile();
    expect(again).toMatchObject({ objects: 3, items: 3, resynced: 0, duplicates: 0 });
  });
});
