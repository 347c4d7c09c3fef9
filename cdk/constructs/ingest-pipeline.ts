// S3 object events → SQS (with a dead-letter queue) → the ingest function, which indexes products into the
// catalogue table and reports partial batch failures so that only failed records are retried.
import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3n from "aws-cdk-lib/aws-s3-notifications";
import * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";

const FUNCTION_TIMEOUT = Duration.minutes(1);
/** AWS guidance for SQS event sources: at least six times the function timeout, so retries don't overlap. */
const VISIBILITY_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6);
/** A record that failed this often is not going to succeed by itself; park it for an operator. */
const MAX_RECEIVE_COUNT = 5;

export interface IngestPipelineProps {
  entry: string;
  products: ProductsBucket;
  catalogue: CatalogueTable;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  /** SNS topic notified when records reach the dead-letter queue. */
  alarmTopicArn: string | undefined;
}

export class IngestPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly handler: HexarchiveFunction;
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      // SSE-SQS rather than KMS: S3 event notifications cannot publish to queues using the aws/sqs key.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.queue = new sqs.Queue(this, "Queue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: VISIBILITY_TIMEOUT,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    const bucket = props.products.bucket;
    for (const event of [s3.EventType.OBJECT_CREATED, s3.EventType.OBJECT_REMOVED]) {
      bucket.addEventNotification(event, new s3n.SqsDestination(this.queue));
    }
    acknowledgeNotificationsHandler(Stack.of(this));

    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive ingest: indexes uploaded and removed products into the catalogue",
      memorySize: 512,
      timeout: FUNCTION_TIMEOUT,
      environment: {
        [ENV_NAMES.table]: props.catalogue.table.tableName,
        [ENV_NAMES.productsBucket]: bucket.bucketName,
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
    });
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        // Bounds the write rate a large upload burst can put on the table and the account's concurrency.
        maxConcurrency: 10,
      }),
    );

    props.products.grantReadObjects(this.handler);
    props.products.grantList(this.handler);
    props.catalogue.grantCatalogueReadWrite(this.handler);

    this.deadLetterAlarm = new cloudwatch.Alarm(this, "DeadLetterAlarm", {
      alarmDescription:
        "Ingest records reached the dead-letter queue: some products are not in the catalogue.",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopicArn !== undefined) {
      const topic = sns.Topic.fromTopicArn(this, "AlarmTopic", props.alarmTopicArn);
      this.deadLetterAlarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
    }
  }
}

/**
 * Bucket notifications are configured by a CDK-provided singleton function (a custom resource) that lives at
 * stack level under a fixed id prefix; its role is defined by aws-cdk-lib, not here.
 */
function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.children.find((c) => c.node.id.startsWith("BucketNotificationsHandler"));
  if (!handler)
    throw new Error("aws-cdk-lib no longer creates BucketNotificationsHandler; revisit this acknowledgement");
  Validations.of(handler).acknowledge({
    id: "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
    reason:
      "CDK's own BucketNotificationsHandler (deploy-time custom resource that writes the bucket's notification configuration) uses the basic execution role for its logs; its role is not configurable.",
  });
}
