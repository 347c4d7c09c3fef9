// The subscriptions' background work in the local stack: the same runner as the scheduled Lambda
// (shared/subscriptions/runner.ts) on a timer, publishing changes to an in-process bus instead of SNS,
// and delivering webhooks to loopback receivers too, and relays within the local S3 emulator.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Logger } from "../../shared/log.ts";
import type { ChangeLogReader } from "../../shared/storage/changes.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import {
  DEFAULT_DELIVERY,
  type DeliverDeps,
  type DeliverySettings,
} from "../../shared/subscriptions/deliverer.ts";
import { DynamoSubscriptionStore } from "../../shared/subscriptions/dynamo-store.ts";
import { InProcessBus } from "../../shared/subscriptions/publisher.ts";
import { type RunResult, subscriptionsRunner } from "../../shared/subscriptions/runner.ts";
import { httpWebhookSender } from "../../shared/subscriptions/webhook-sender.ts";

export interface LocalSubscriptionsOptions {
  doc: DynamoDBDocumentClient;
  table: string;
  changes: ChangeLogReader;
  log: Logger;
  /** Between runs (default 2 s). */
  intervalMs?: number | undefined;
  delivery?: Partial<DeliverySettings> | undefined;
  /** Copies for relay subscriptions (within the stack's S3 emulator); absent: relays wait. */
  relay?: DeliverDeps["relay"];
}

export interface LocalSubscriptions {
  /** Every change, as SNS publishes it on AWS. */
  bus: InProcessBus;
  /** Runs once now (or joins the run in progress). */
  run(): Promise<RunResult>;
  close(): Promise<void>;
}

export function startLocalSubscriptions(o: LocalSubscriptionsOptions): LocalSubscriptions {
  const bus = new InProcessBus();
  const runner = subscriptionsRunner({
    changes: o.changes,
    items: new DynamoCatalogue(o.doc, o.table),
    store: new DynamoSubscriptionStore(new DynamoTable(o.doc, o.table)),
    publisher: bus,
    send: httpWebhookSender({ allowLoopback: true }, 5_000),
    // Retries come sooner locally: a receiver restarted during development is served within seconds.
    delivery: { ...DEFAULT_DELIVERY, baseDelayMs: 1_000, maxDelayMs: 60_000, ...o.delivery },
    relay: o.relay,
    log: o.log,
  });
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    last = runner
      .run()
      .catch((err: unknown) => o.log.warn("subscriptions run failed", { error: String(err) }));
  }, o.intervalMs ?? 2_000);
  timer.unref();
  return {
    bus,
    run: () => runner.run(),
    async close() {
      clearInterval(timer);
      await last;
    },
  };
}
