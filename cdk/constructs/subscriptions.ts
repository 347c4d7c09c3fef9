// Subscriptions on AWS: a scheduled function that reads the change log, publishes every change to an SNS
// topic (attributes: collection, event, platform, cells) and fills and delivers the subscriptions'
// queues. It reads items and writes only the subscriptions' partitions (shared/index/keys.ts).
import { Duration, Validations } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as sns from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import {
  leadingKeyPatterns,
  PARTITION_PREFIXES,
  SUBSCRIPTIONS_WRITABLE_PREFIXES,
} from "../../shared/index/keys.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";

/** What the function reads: the change log, item records (to match them) and its own partitions. */
export const SUBSCRIPTIONS_READABLE_PREFIXES: readonly string[] = [
  PARTITION_PREFIXES.items,
  PARTITION_PREFIXES.changes,
  ...SUBSCRIPTIONS_WRITABLE_PREFIXES,
];

export interface SubscriptionsProps {
  entry: string;
  catalogue: CatalogueTable;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  reservedConcurrency?: number | undefined;
  /** How often it runs; default every minute. */
  schedule?: events.Schedule;
  /** Relays: the products it copies from and the buckets it may copy into (none: no relays). */
  relay?: { products: ProductsBucket; buckets: readonly string[] } | undefined;
}

export class Subscriptions extends Construct {
  readonly handler: HexarchiveFunction;
  readonly topic: sns.Topic;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: SubscriptionsProps) {
    super(scope, id);
    const relay = props.relay && props.relay.buckets.length > 0 ? props.relay : undefined;
    this.topic = new sns.Topic(this, "Changes", {
      displayName: "hexarchive item changes",
      enforceSSL: true,
      masterKey: kms.Alias.fromAliasName(this, "SnsKey", "alias/aws/sns"),
    });
    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive subscriptions: dispatches changes, publishes them, delivers webhooks",
      memorySize: 1024,
      // A run stops at its change and delivery budgets long before this; the next run goes on.
      timeout: Duration.minutes(10),
      environment: {
        [ENV_NAMES.table]: props.catalogue.table.tableName,
        // Required by the shared configuration; only relays read products.
        [ENV_NAMES.productsBucket]: relay ? relay.products.bucket.bucketName : "unused",
        [ENV_NAMES.changesTopic]: this.topic.topicArn,
        ...(relay ? { [ENV_NAMES.relayBuckets]: relay.buckets.join(",") } : {}),
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency,
    });
    const table = props.catalogue.table.tableArn;
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
        resources: [table],
        conditions: {
          "ForAllValues:StringLike": {
            "dynamodb:LeadingKeys": leadingKeyPatterns(SUBSCRIPTIONS_READABLE_PREFIXES),
          },
        },
      }),
    );
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:BatchWriteItem",
        ],
        resources: [table],
        conditions: {
          "ForAllValues:StringLike": {
            "dynamodb:LeadingKeys": leadingKeyPatterns(SUBSCRIPTIONS_WRITABLE_PREFIXES),
          },
        },
      }),
    );
    this.topic.grantPublish(this.handler);
    if (relay) {
      // CopyObject reads the source object and writes the copy; ListBucket on the targets lets HeadObject
      // tell a copy not yet made (404) from a refusal (403). Nothing else, and no other bucket.
      relay.products.grantReadObjects(this.handler);
      this.handler.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:GetObject", "s3:PutObject"],
          resources: relay.buckets.map((b) => `arn:aws:s3:::${b}/*`),
        }),
      );
      this.handler.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ["s3:ListBucket"],
          resources: relay.buckets.map((b) => `arn:aws:s3:::${b}`),
        }),
      );
      for (const b of relay.buckets)
        Validations.of(this.handler).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:aws:s3:::${b}/*]`,
          reason:
            "A relay copies products under their own keys (after an optional prefix) into a bucket the operator named; only reading and writing its objects is granted, no deletion.",
        });
    }

    this.rule = new events.Rule(this, "Schedule", {
      description: "Runs the hexarchive subscriptions' dispatch and delivery",
      schedule: props.schedule ?? events.Schedule.rate(Duration.minutes(1)),
    });
    // The next scheduled run retries what this one could not do: no retries of a run.
    this.rule.addTarget(new targets.LambdaFunction(this.handler.function, { retryAttempts: 0 }));
  }
}
