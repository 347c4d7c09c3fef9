// Composition root of the subscriptions function: run by an EventBridge schedule, it dispatches new
// changes from the change log into the subscriptions' queues, publishes them to the change topic and
// delivers due webhooks (shared/subscriptions/runner.ts).
import { loadConfig } from "../../shared/config.ts";
import { jsonLogger } from "../../shared/log.ts";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { DEFAULT_DELIVERY } from "../../shared/subscriptions/deliverer.ts";
import { DynamoSubscriptionStore } from "../../shared/subscriptions/dynamo-store.ts";
import { s3RelayCopier } from "../../shared/subscriptions/relay.ts";
import { subscriptionsRunner } from "../../shared/subscriptions/runner.ts";
import { SnsChangePublisher } from "../../shared/subscriptions/sns-publisher.ts";
import { httpWebhookSender } from "../../shared/subscriptions/webhook-sender.ts";
import { changeLogReader } from "./change-log.ts";

const config = loadConfig(process.env);
const doc = makeDocumentClient({ region: config.region, sdkReads: config.sdkReads });

const runner = subscriptionsRunner({
  changes: changeLogReader(doc, config.tableName),
  items: new DynamoCatalogue(doc, config.tableName),
  store: new DynamoSubscriptionStore(new DynamoTable(doc, config.tableName)),
  publisher: config.changesTopic
    ? new SnsChangePublisher({
        topicArn: config.changesTopic,
        region: config.region,
        credentials: doc.config.credentials,
      })
    : undefined,
  // Deployed receivers are public HTTPS hosts only.
  send: httpWebhookSender({ allowLoopback: false }, 5_000),
  delivery: DEFAULT_DELIVERY,
  // Relays copy within S3 (this function may read the products bucket and write the relay buckets).
  relay:
    config.relayBuckets.length > 0
      ? {
          copy: s3RelayCopier(makeS3Client({ region: config.region })),
          source: config.publicUrl ?? "",
          limits: config.relayLimits,
        }
      : undefined,
  // Runs start every minute with one execution reserved: each ends well within it (no throttled runs).
  maxChanges: 500,
  deliveryBudgetMs: 40_000,
  log: jsonLogger,
});

export const handler = async () => {
  const result = await runner.run();
  jsonLogger.info("subscriptions run", { ...result });
  return result;
};
