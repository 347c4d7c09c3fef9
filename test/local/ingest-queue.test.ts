// The local ingest queue keeps SQS's promises: a redelivered batch cannot delete other messages, a new
// message does not wait behind messages in flight, and messages outlive the process (journal).
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SQSEvent } from "aws-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { LocalIngestQueue, type QueueOptions } from "../../dev/local/ingest-queue.ts";
import { silentLogger } from "../../shared/log.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dirs: string[] = [];
function options(extra: Partial<QueueOptions> = {}): QueueOptions {
  const dir = mkdtempSync(join(tmpdir(), "hexarchive-queue-"));
  dirs.push(dir);
  return {
    batchSize: 10,
    maxReceiveCount: 5,
    visibilityTimeoutMs: 30,
    deadLetterFile: join(dir, "dlq"),
    ...extra,
  };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("local ingest queue", () => {
  it("completes every message of a burst when batches outlive the visibility timeout", async () => {
    const completed = new Set<string>();
    let calls = 0;
    // Every other batch takes longer than the visibility timeout, so its messages are delivered again
    // while it runs: the first delivery to finish must not delete messages the other still holds.
    const slow = async (e: SQSEvent) => {
      if (calls++ % 2 === 0) await sleep(70);
      for (const r of e.Records) completed.add(r.body);
      return { batchItemFailures: [] };
    };
    const q = new LocalIngestQueue(slow, silentLogger, options({ concurrency: 2 }));
    const bodies = Array.from({ length: 200 }, (_, i) => `m${i}`);
    for (const [i, b] of bodies.entries()) {
      q.send(b);
      if (i % 25 === 0) await sleep(5);
    }
    await q.idle();
    expect(bodies.filter((b) => !completed.has(b))).toEqual([]);
    expect(q.size).toBe(0);
    await q.stop();
  });

  it("delivers a message sent while every other message is in flight without waiting for their timeout", async () => {
    let release: () => void = () => {};
    const lateArrived = new Promise<void>((r) => {
      release = r;
    });
    const seen: string[] = [];
    // "slow" finishes only once "late" has been delivered; "quick" finishes at once, after which the
    // queue has only "slow" in flight and a poll due when its visibility timeout (a minute) ends.
    const handler = async (e: SQSEvent) => {
      seen.push(...e.Records.map((r) => r.body));
      if (e.Records.some((r) => r.body === "slow")) await lateArrived;
      if (e.Records.some((r) => r.body === "late")) release();
      return { batchItemFailures: [] };
    };
    const q = new LocalIngestQueue(handler, silentLogger, options({ visibilityTimeoutMs: 60_000 }));
    q.send("slow");
    await sleep(20);
    q.send("quick");
    await sleep(20);
    q.send("late");
    await q.idle();
    expect(seen).toEqual(["slow", "quick", "late"]);
    await q.stop();
  }, 5_000);

  it("keeps unfinished messages across a crash, and only those", async () => {
    const opts = options({ journalFile: "" });
    opts.journalFile = join(dirs[0]!, "queue.ndjson");
    const done: string[] = [];
    // The first process completes "a", then hangs on the rest and dies without stopping.
    const first = new LocalIngestQueue(
      async (e) => {
        if (e.Records[0]!.body === "a") {
          done.push("a");
          return { batchItemFailures: [] };
        }
        return new Promise(() => {});
      },
      silentLogger,
      { ...opts, batchSize: 1, concurrency: 1 },
    );
    first.send("a");
    await first.idle().catch(() => {});
    await sleep(20);
    first.send("b");
    first.send("c");
    await sleep(20);
    // A write torn by the crash at the end of the journal.
    appendFileSync(opts.journalFile!, '{"op":"send","id":"x","bo');
    const restored: string[] = [];
    const second = new LocalIngestQueue(
      async (e) => {
        restored.push(...e.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
      silentLogger,
      opts,
    );
    expect(second.size).toBe(2);
    await second.idle();
    expect(restored.sort()).toEqual(["b", "c"]);
    await second.stop();
    const third = new LocalIngestQueue(async () => ({ batchItemFailures: [] }), silentLogger, opts);
    expect(third.size).toBe(0);
    await third.stop();
  });
});
