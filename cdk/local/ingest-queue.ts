// The local stand-in for S3 → SQS → Lambda: notifications become queue messages, delivered in
// batches to the real ingest handler; messages it reports as failed come back after a visibility
// timeout, and after `maxReceiveCount` receives go to a dead-letter file, as the deployed redrive does.
import { appendFileSync } from "node:fs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Logger } from "../../shared/log.ts";

type IngestHandler = (event: SQSEvent, context: never) => Promise<SQSBatchResponse | undefined | undefined>;

interface Message {
  id: string;
  body: string;
  receiveCount: number;
  visibleAt: number;
  sentAt: number;
}

export interface QueueOptions {
  batchSize: number;
  maxReceiveCount: number;
  visibilityTimeoutMs: number;
  deadLetterFile: string;
}

export class LocalIngestQueue {
  private readonly messages: Message[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private seq = 0;
  deadLettered = 0;

  constructor(
    private readonly handler: IngestHandler,
    private readonly log: Logger,
    private readonly opts: QueueOptions,
  ) {}

  send(body: string): void {
    this.messages.push({ id: `m-${++this.seq}`, body, receiveCount: 0, visibleAt: 0, sentAt: Date.now() });
    this.schedule(0);
  }

  /** Resolves when no message is waiting or being processed. */
  idle(): Promise<void> {
    if (this.messages.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.poll();
    }, delayMs);
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    const batch = this.messages.filter((m) => m.visibleAt <= now).slice(0, this.opts.batchSize);
    if (batch.length === 0) {
      const next = Math.min(...this.messages.map((m) => m.visibleAt));
      if (Number.isFinite(next)) this.schedule(Math.max(5, next - now));
      else this.notifyIdle();
      return;
    }
    for (const m of batch) {
      m.receiveCount++;
      m.visibleAt = now + this.opts.visibilityTimeoutMs;
    }
    this.inFlight++;
    let failed = new Set<string>();
    try {
      const res = await this.handler({ Records: batch.map(toRecord) }, undefined as never);
      failed = new Set((res?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      // A crashed invocation fails the whole batch, as Lambda does.
      this.log.error("ingest invocation failed", { error: String(err) });
      failed = new Set(batch.map((m) => m.id));
    } finally {
      this.inFlight--;
    }
    for (const m of batch) {
      if (failed.has(m.id) && m.receiveCount < this.opts.maxReceiveCount) continue;
      this.messages.splice(this.messages.indexOf(m), 1);
      if (failed.has(m.id)) this.deadLetter(m);
    }
    this.schedule(0);
  }

  private deadLetter(m: Message): void {
    this.deadLettered++;
    appendFileSync(
      this.opts.deadLetterFile,
      `${JSON.stringify({ ...m, deadLetteredAt: new Date().toISOString() })}\n`,
    );
    this.log.error("message moved to the dead-letter queue", {
      messageId: m.id,
      receiveCount: m.receiveCount,
    });
  }

  private notifyIdle(): void {
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function toRecord(m: Message): SQSRecord {
  return {
    messageId: m.id,
    receiptHandle: m.id,
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
