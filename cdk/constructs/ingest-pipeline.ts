// S3 object events → SQS (with a dead-letter queue) → the ingest function, which indexes products into the
// catalogue table and reports partial batch failures so that only failed records are retried; and the
// MD5 function, invoked asynchronously by ingest for products whose ETag is not an MD5 (multipart uploads).
import { Duration, Stack, Validations } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as iam from "aws-cdk-lib/aws-iam";
import * as destinations from "aws-cdk-lib/aws-lambda-destinations";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3n from "aws-cdk-lib/aws-s3-notifications";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { DEFAULT_MD5_MAX_BYTES, ENV_NAMES } from "../../shared/config.ts";
import { leadingKeyPatterns, MD5_WRITABLE_PREFIXES } from "../../shared/index/keys.ts";
import type { FunctionName } from "../config.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";

const FUNCTION_TIMEOUT = Duration.minutes(1);
/** AWS guidance for SQS event sources: at least six times the function timeout, so retries don't overlap. */
const VISIBILITY_TIMEOUT = Duration.seconds(FUNCTION_TIMEOUT.toSeconds() * 6);
/** A record that failed this often is not going to succeed by itself; park it for an operator. */
const MAX_RECEIVE_COUNT = 5;
/** Concurrent batches the SQS event source runs at most; reserved concurrency must not be lower. */
export const INGEST_MAX_CONCURRENCY = 10;

/**
 * An MD5 job reads one whole product. Not in the ingest function: a batch of ten 8 GB products is 20
 * minutes or more of reading, past Lambda's 15, and ingest's short timeout keeps its retries minutes apart.
 * The timeout covers the largest product read (HEXARCHIVE_MD5_MAX_BYTES) at MD5_MIN_MIB_PER_SECOND, a
 * floor well under both node's MD5 over a stream (measured: README) and an S3 GET stream in Lambda.
 */
const MD5_TIMEOUT = Duration.minutes(15);
const MD5_MIN_MIB_PER_SECOND = 16;
const MD5_MAX_BYTES = DEFAULT_MD5_MAX_BYTES;
if (MD5_MAX_BYTES / 2 ** 20 / MD5_MIN_MIB_PER_SECOND > MD5_TIMEOUT.toSeconds() - 60)
  throw new Error("the MD5 function's timeout does not cover the largest product it may read");

export interface IngestPipelineProps {
  entry: string;
  products: ProductsBucket;
  catalogue: CatalogueTable;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  /** Per function (cdk/config.ts); undefined: none reserved. */
  reservedConcurrency?: Record<FunctionName, number> | undefined;
}

export class IngestPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly handler: HexarchiveFunction;
  /** Computes the MD5 of products S3 gave none for (same bundle as the handler). */
  readonly md5: HexarchiveFunction;
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

    const environment = {
      [ENV_NAMES.table]: props.catalogue.table.tableName,
      [ENV_NAMES.productsBucket]: bucket.bucketName,
    };
    this.md5 = new HexarchiveFunction(this, "Md5", {
      entry: props.entry,
      description: "hexarchive product MD5: one streamed read of a product S3 gave no MD5 for",
      memorySize: 1769, // one full vCPU: hashing, not memory, is the work
      timeout: MD5_TIMEOUT,
      environment,
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency?.md5,
    });
    props.products.grantReadObjects(this.md5);
    props.products.grantList(this.md5); // a product removed meanwhile is a 404 (skipped), not a 403
    // Reads an item and replaces it at its version, logging the change: item records and the change log
    // only (shared/index/keys.ts itemKey, changeKeys).
    this.md5.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem", "dynamodb:BatchWriteItem"],
        resources: [props.catalogue.table.tableArn],
        conditions: {
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": leadingKeyPatterns(MD5_WRITABLE_PREFIXES) },
        },
      }),
    );
    // Jobs are idempotent and guarded: retry passing faults, and park what still fails for an operator.
    this.md5.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });

    const reserved = props.reservedConcurrency?.ingest;
    if (reserved !== undefined && reserved < INGEST_MAX_CONCURRENCY)
      throw new Error(
        `reservedConcurrency ingest=${reserved} is below the SQS event source's maximum concurrency (${INGEST_MAX_CONCURRENCY}): batches would be throttled and retried`,
      );
    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive ingest: indexes uploaded and removed products into the catalogue",
      memorySize: 512,
      timeout: FUNCTION_TIMEOUT,
      environment: {
        ...environment,
        [ENV_NAMES.md5Function]: this.md5.function.functionName,
        [ENV_NAMES.md5MaxBytes]: String(MD5_MAX_BYTES),
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency?.ingest,
    });
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: [this.md5.function.functionArn],
      }),
    );
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(5),
        reportBatchItemFailures: true,
        // Bounds the write rate a large upload burst can put on the table and the account's concurrency.
        maxConcurrency: INGEST_MAX_CONCURRENCY,
      }),
    );

    props.products.grantReadObjects(this.handler);
    props.products.grantList(this.handler);
    props.catalogue.grantCatalogueReadWrite(this.handler);

    this.deadLetterAlarm = new cloudwatch.Alarm(this, "DeadLetterAlarm", {
      alarmDescription:
        "Ingest records or MD5 jobs reached the dead-letter queue: some products are not in the catalogue or lack their MD5.",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Notifies the operators' topic: cdk/constructs/operations-alarms.ts.
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
