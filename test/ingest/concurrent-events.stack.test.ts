// Events for one object key that are applied at the same time (the SQS event source runs up to ten
// batches in parallel) leave the state the newest event describes: no ghost item for a deleted object,
// no second item for an object that changed id, and a moved product keeps its item.
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeIngestDeps } from "../../lambdas/ingest/deps.ts";
import { type ObjectEvent, padSequencer } from "../../shared/ingest/events.ts";
import { type IngestDeps, ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { silentLogger } from "../../shared/log.ts";
import type { Catalogue } from "../../shared/storage/catalogue.ts";
import { pointSidecar } from "../support/collections.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

// A bucket the stack's own notifications ignore: only the events these tests apply reach the index.
const BUCKET = "concurrency-test";
const C = "concurrency";
let stack: TestStack;
let seq = 0;
beforeAll(async () => {
  stack = await startTestStack();
  await stack.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const event = (kind: ObjectEvent["kind"], key: string): ObjectEvent => ({
  kind,
  bucket: BUCKET,
  key,
  sequencer: padSequencer(`FFFFFFFFFFFFFFFFFFFF${(++seq).toString(16).padStart(8, "0")}`),
  time: new Date().toISOString(),
});
const sidecar = (id: string) => pointSidecar(C, id);
const put = (key: string, body: string) =>
  stack.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const remove = (key: string) => stack.s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));

/** A gate a test opens; `entered` resolves when something waits at it. */
function gate() {
  let open: () => void = () => {};
  let entered: () => void = () => {};
  const opened = new Promise<void>((r) => {
    open = r;
  });
  const reached = new Promise<void>((r) => {
    entered = r;
  });
  const wait = () => {
    entered();
    return opened;
  };
  return { open, reached, wait };
}

function deps(
  over: { afterRead?: () => Promise<void>; beforeDelete?: () => Promise<void> } = {},
): IngestDeps {
  const base = makeIngestDeps({
    doc: stack.doc,
    s3: stack.s3,
    table: stack.endpoints.dynamodb.table,
    log: silentLogger,
  });
  const catalogue = new Proxy(base.catalogue, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "deleteItem" && over.beforeDelete)
        return async (...args: Parameters<Catalogue["deleteItem"]>) => {
          await over.beforeDelete!();
          return target.deleteItem(...args);
        };
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    ...base,
    catalogue,
    readProduct: async (ctx) => {
      const out = await base.readProduct(ctx);
      await over.afterRead?.();
      return out;
    },
  };
}

describe("concurrent events for one key", () => {
  it("a removal applied while a creation is being read leaves no ghost item", async () => {
    const key = "ghost/a.stac.json";
    await put(key, sidecar("ghost-a"));
    const g = gate();
    const created = ingestObjectEvent(deps({ afterRead: g.wait }), event("created", key));
    await g.reached;
    await remove(key);
    const removed = ingestObjectEvent(deps(), event("removed", key));
    await sleep(300);
    g.open();
    await Promise.all([created, removed]);
    expect(await stack.catalogue.getItem(C, "ghost-a")).toBeUndefined();
  });

  it("an older event that read an older id cannot add a second item next to the newest one", async () => {
    const key = "dup/a.stac.json";
    await put(key, sidecar("dup-x"));
    await ingestObjectEvent(deps(), event("created", key));
    await put(key, sidecar("dup-y"));
    const g = gate();
    const older = ingestObjectEvent(deps({ afterRead: g.wait }), event("created", key));
    await g.reached;
    await put(key, sidecar("dup-z"));
    const newer = ingestObjectEvent(deps(), event("created", key));
    await sleep(300);
    g.open();
    await Promise.all([older, newer]);
    const ids = ["dup-x", "dup-y", "dup-z"];
    const stored = await Promise.all(ids.map((id) => stack.catalogue.getItem(C, id)));
    expect(stored.map((s) => s?.source)).toEqual([undefined, undefined, key]);
  });

  it("a product moved to another key keeps its item when the old key's removal overlaps the new key's creation", async () => {
    const from = "move/old.stac.json";
    const to = "move/new.stac.json";
    await put(from, sidecar("moved"));
    await ingestObjectEvent(deps(), event("created", from));
    await stack.s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: to, CopySource: `${BUCKET}/${from}` }));
    await remove(from);
    const g = gate();
    // The old key's removal has read the item (still its own) and is about to delete it...
    const removed = ingestObjectEvent(deps({ beforeDelete: g.wait }), event("removed", from));
    await g.reached;
    // ...when the new key's creation writes the same item.
    await ingestObjectEvent(deps(), event("created", to));
    g.open();
    await removed;
    const stored = await stack.catalogue.getItem(C, "moved");
    expect(stored?.source).toBe(to);
  });

  it("two keys describing one item: removing the one that wrote it hands the item to the other", async () => {
    const a = "twins/a.stac.json";
    const b = "twins/b.stac.json";
    await put(a, sidecar("twin"));
    await put(b, sidecar("twin"));
    await ingestObjectEvent(deps(), event("created", a));
    await ingestObjectEvent(deps(), event("created", b));
    expect((await stack.catalogue.getItem(C, "twin"))?.source).toBe(b);
    await remove(b);
    await ingestObjectEvent(deps(), event("removed", b));
    expect((await stack.catalogue.getItem(C, "twin"))?.source).toBe(a);
    await remove(a);
    await ingestObjectEvent(deps(), event("removed", a));
    expect(await stack.catalogue.getItem(C, "twin")).toBeUndefined();
  });
});
