import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/config.ts";
import { BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { template, stack } = built;
const queue = built.resource(stack.ingest.queue);
const dlqId = built.logicalId(stack.ingest.deadLetterQueue);
const dlq = built.resource(stack.ingest.deadLetterQueue);
const fn = built.resource(stack.ingest.handler.function);

describe("ingest pipeline", () => {
  it("sends ObjectCreated and ObjectRemoved events of the products bucket to the queue", () => {
    const queueArn = { "Fn::GetAtt": [built.logicalId(stack.ingest.queue), "Arn"] };
    template.hasResourceProperties("Custom::S3BucketNotifications", {
      BucketName: { Ref: built.logicalId(stack.products.bucket) },
      NotificationConfiguration: {
        QueueConfigurations: Match.arrayWith([
          { Events: ["s3:ObjectCreated:*"], QueueArn: queueArn },
          { Events: ["s3:ObjectRemoved:*"], QueueArn: queueArn },
        ]),
      },
    });
  });

  it("redrives a record to an encrypted dead-letter queue after five receives and keeps it 14 days", () => {
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] }, maxReceiveCount: 5 },
    });
    expect(dlq.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
  });

  it("gives the queue a visibility timeout of at least six function timeouts", () => {
    expect(queue.Properties["VisibilityTimeout"]).toBeGreaterThanOrEqual(
      6 * (fn.Properties["Timeout"] as number),
    );
  });

  it("refuses non-TLS access to both queues", () => {
    for (const q of [stack.ingest.queue, stack.ingest.deadLetterQueue]) {
      template.hasResourceProperties("AWS::SQS::QueuePolicy", {
        Queues: [{ Ref: built.logicalId(q) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
          ]),
        },
      });
    }
  });

  it("feeds the function in batches and lets it report partial batch failures", () => {
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [built.logicalId(stack.ingest.queue), "Arn"] },
      FunctionName: { Ref: built.logicalId(stack.ingest.handler.function) },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      BatchSize: 10,
      MaximumBatchingWindowInSeconds: 5,
    });
  });

  it("tells the function which table and bucket to use", () => {
    expect(fn.Properties).toMatchObject({
      MemorySize: 512,
      Environment: {
        Variables: {
          [ENV_NAMES.table]: { Ref: built.logicalId(stack.catalogue.table) },
          [ENV_NAMES.productsBucket]: { Ref: built.logicalId(stack.products.bucket) },
        },
      },
    });
  });

  it("raises an alarm as soon as a record reaches the dead-letter queue", () => {
    expect(built.resource(stack.ingest.deadLetterAlarm).Properties).toMatchObject({
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [dlqId, "QueueName"] } }],
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
    });
  });

  it("notifies the stack's alarm topic, and an existing SNS topic when one is configured", () => {
    const topicArn = "arn:aws:sns:eu-central-1:123456789012:ops";
    const withTopic = new BuiltStack({ alarmTopicArn: topicArn });
    expect(withTopic.resource(withTopic.stack.ingest.deadLetterAlarm).Properties["AlarmActions"]).toEqual([
      { Ref: withTopic.logicalId(withTopic.stack.alarms.topic) },
      topicArn,
    ]);
  });

  it("refuses a reserved concurrency for ingest below the event source's maximum concurrency", () => {
    expect(() => new BuiltStack({ reservedConcurrency: "ingest=5" })).toThrow(/maximum concurrency \(10\)/);
  });
});
