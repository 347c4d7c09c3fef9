// The local stand-in for S3 → SQS → Lambda: notifications become queue messages, delivered in
// batches to the real ingest handler; messages it reports as failed come back after a visibility
// timeout, and after `maxReceiveCount` receives go to a dead-letter file, as the deployed redrive does.
//
// As in SQS, every receive hands out a fresh receipt handle and only the newest one deletes: a batch
// that outlives its visibility timeout is delivered again, and whichever delivery finishes first
// cannot delete a message that the other delivery still holds, nor any other message. With a journal
// file, messages survive the process (see queue-journal.ts).

import { randomUUID } from "node:crypto";
import { appendFileSync } from "node:fs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Logger } from "../../shared/log.ts";
import { QueueJournal } from "./queue-journal.ts";

type IngestHandler = (event: SQSEvent, context: never) => Promise<SQSBatchResponse | undefined | undefined>;

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  sentAt: number;
  /** The receipt handle of the latest receive; undefined before the first. */
  receipt?: string | undefined;
}

export interface QueueOptions {
  batchSize: number;
  maxReceiveCount: number;
  visibilityTimeoutMs: number;
  deadLetterFile: string;
  /**
   * How soon a message the handler reported as failed is visible again (default: the visibility
   * timeout), as a consumer that changes its visibility on failure. Tests retry fast this way while
   * the visibility timeout stays longer than any batch runs, as AWS requires of the function timeout.
   */
  retryDelayMs?: number;
  /** Batches handled at once (the SQS event source runs up to 10 in parallel); default 4. */
  concurrency?: number;
  /** Where messages are kept across restarts; absent: in memory only. */
  journalFile?: string;
}

export class LocalIngestQueue {
  /** Insertion order is send order: batches take the oldest visible messages first. */
  private readonly messages = new Map<string, Message>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private idleWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly journal: QueueJournal | undefined;
  deadLettered = 0;

  constructor(
    private readonly handler: IngestHandler,
    private readonly log: Logger,
    private readonly opts: QueueOptions,
  ) {
    if (opts.journalFile) {
      this.journal = new QueueJournal(opts.journalFile);
      // Messages in flight when the process stopped are visible again at once, as after a timeout.
      for (const m of this.journal.open()) {
        this.messages.set(m.id, { ...m, visibleAt: 0 });
      }
      if (this.messages.size > 0) {
        log.info("ingest queue restored", { messages: this.messages.size });
        this.schedule(0);
      }
    }
  }

  /** Number of messages not yet deleted (waiting or in flight). */
  get size(): number {
    return this.messages.size;
  }

  send(body: string): void {
    const m: Message = { id: randomUUID(), body, receiveCount: 0, visibleAt: 0, sentAt: Date.now() };
    // Journal first: once send returns, the message survives the process.
    this.journal?.sent(m);
    this.messages.set(m.id, m);
    this.schedule(0);
  }

  /** Resolves when no message is waiting or being processed. */
  idle(): Promise<void> {
    if (this.messages.size === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops delivering and resolves once the batches handed out have finished (and been recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    while (this.inFlight > 0) await new Promise<void>((r) => this.drainWaiters.push(r));
    this.journal?.close();
  }

  /** Polls after `delayMs`, or sooner if a poll is already due sooner. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = Date.now() + delayMs;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.poll();
    }, delayMs);
  }

  private poll(): void {
    const concurrency = this.opts.concurrency ?? 4;
    while (!this.stopped && this.inFlight < concurrency) {
      const now = Date.now();
      const batch: Message[] = [];
      let next = Number.POSITIVE_INFINITY;
      for (const m of [...this.messages.values()]) {
        if (m.visibleAt > now) next = Math.min(next, m.visibleAt);
        else if (m.receiveCount >= this.opts.maxReceiveCount) {
          // Received that often and never deleted (each delivery outlived its visibility): SQS's redrive.
          this.deadLetter(m);
          this.delete(m);
        } else if (batch.length < this.opts.batchSize) batch.push(m);
      }
      if (batch.length === 0) {
        if (Number.isFinite(next)) this.schedule(Math.max(1, next - now));
        else this.notifyIdle();
        return;
      }
      const receipts = new Map<string, string>();
      for (const m of batch) {
        m.receiveCount++;
        m.visibleAt = now + this.opts.visibilityTimeoutMs;
        m.receipt = randomUUID();
        receipts.set(m.id, m.receipt);
      }
      this.inFlight++;
      void this.deliver(batch, receipts);
    }
  }

  private async deliver(batch: Message[], receipts: Map<string, string>): Promise<void> {
    const records = batch.map((m) => toRecord(m, receipts.get(m.id)!));
    let failed: Set<string>;
    try {
      const res = await this.handler({ Records: records }, undefined as never);
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      // A crashed invocation fails the whole batch, as Lambda does.
      this.log.error("ingest invocation failed", { error: String(err) });
      failed = new Set(batch.map((m) => m.id));
    }
    for (const r of records) {
      const m = this.messages.get(r.messageId);
      // Deleted by a later delivery, or received again since: this receipt handle is stale.
      if (!m || m.receipt !== r.receiptHandle) continue;
      if (!failed.has(m.id)) this.delete(m);
      else if (m.receiveCount >= this.opts.maxReceiveCount) {
        this.deadLetter(m);
        this.delete(m);
      } else {
        m.visibleAt = Math.min(
          m.visibleAt,
          Date.now() + (this.opts.retryDelayMs ?? this.opts.visibilityTimeoutMs),
        );
        this.journal?.received(m);
      }
    }
    this.inFlight--;
    for (const w of this.drainWaiters.splice(0)) w();
    this.schedule(0);
  }

  private delete(m: Message): void {
    this.messages.delete(m.id);
    this.journal?.deleted(m.id, () => [...this.messages.values()]);
  }

  private deadLetter(m: Message): void {
    this.deadLettered++;
    const { receipt: _, ...record } = m;
    appendFileSync(
      this.opts.deadLetterFile,
      `${JSON.stringify({ ...record, deadLetteredAt: new Date().toISOString() })}\n`,
    );
    this.log.error("message moved to the dead-letter queue", {
      messageId: m.id,
      receiveCount: m.receiveCount,
    });
  }

  private notifyIdle(): void {
    if (this.inFlight > 0 || this.messages.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function toRecord(m: Message, receipt: string): SQSRecord {
  return {
    messageId: m.id,
    receiptHandle: receipt,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: "local",
      ApproximateFirstReceiveTimestamp: String(m.sentAt),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:hexarchive-ingest",
    awsRegion: "us-east-1",
  };
}
