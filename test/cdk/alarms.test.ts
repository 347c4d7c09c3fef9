import { describe, expect, it } from "vitest";
import { HexarchiveFunction } from "../../cdk/constructs/hexarchive-function.ts";
import { INGEST_FAILURES_METRIC } from "../../cdk/constructs/operations-alarms.ts";
import type { Logger } from "../../shared/log.ts";
import { startEphemeralStack } from "../support/stack.ts";
import { BuiltStack, type CfnResourceJson } from "./build-stack.ts";

const built = new BuiltStack();
const { stack } = built;
const topic = { Ref: built.logicalId(stack.alarms.topic) };
const alarms = Object.values(built.resourcesOfType("AWS::CloudWatch::Alarm"));

interface MetricStat {
  Metric?: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: unknown }[] };
}
/** Every metric an alarm reads, directly or inside its metric math. */
function metricsOf(alarm: CfnResourceJson): { namespace: string; name: string; dimensions: unknown }[] {
  const p = alarm.Properties;
  if (p["MetricName"])
    return [
      { namespace: String(p["Namespace"]), name: String(p["MetricName"]), dimensions: p["Dimensions"] },
    ];
  return ((p["Metrics"] ?? []) as { MetricStat?: MetricStat }[])
    .map((m) => m.MetricStat?.Metric)
    .filter((m) => m !== undefined)
    .map((m) => ({ namespace: m.Namespace, name: m.MetricName, dimensions: m.Dimensions }));
}
const alarmsOn = (namespace: string, name: string, dimension?: unknown) =>
  alarms.filter((a) =>
    metricsOf(a).some(
      (m) =>
        m.namespace === namespace &&
        m.name === name &&
        (dimension === undefined || JSON.stringify(m.dimensions).includes(JSON.stringify(dimension))),
    ),
  );

describe("alarms", () => {
  it("all notify the stack's topic, on ALARM and on OK", () => {
    expect(alarms.length).toBeGreaterThanOrEqual(5);
    for (const a of alarms) {
      expect(a.Properties["AlarmActions"]).toContainEqual(topic);
      expect(a.Properties["OKActions"]).toContainEqual(topic);
    }
  });

  it("watch the ingest failure rate: failures logged by ingest against records taken off the queue", () => {
    const [rate] = alarmsOn(INGEST_FAILURES_METRIC.namespace, INGEST_FAILURES_METRIC.metricName);
    expect(rate).toBeDefined();
    expect(
      metricsOf(rate!)
        .map((m) => m.name)
        .sort(),
    ).toEqual(["IngestFailures", "NumberOfMessagesDeleted"]);
    expect(JSON.stringify(rate!.Properties["Metrics"])).toContain("100 * f / MAX([f, n])");
  });

  it("watch the dead-letter queue, the API's 5xx and the table's throttles", () => {
    expect(built.resource(stack.ingest.deadLetterAlarm).Properties["AlarmActions"]).toEqual([topic]);
    const apiId = { Ref: built.logicalId(stack.api.httpApi) };
    expect(alarmsOn("AWS/ApiGateway", "5xx", { Name: "ApiId", Value: apiId })).toHaveLength(1);
    const table = { Name: "TableName", Value: { Ref: built.logicalId(stack.catalogue.table) } };
    const throttles = alarmsOn("AWS/DynamoDB", "WriteThrottleEvents", table);
    expect(throttles).toHaveLength(1);
    expect(throttles).toEqual(alarmsOn("AWS/DynamoDB", "ReadThrottleEvents", table));
  });

  it("watch every function's errors and throttles", () => {
    const functions = stack.node.findAll().filter((c) => c instanceof HexarchiveFunction);
    expect(functions.length).toBeGreaterThanOrEqual(5);
    for (const f of functions) {
      const dimension = { Name: "FunctionName", Value: { Ref: built.logicalId(f.function) } };
      expect(alarmsOn("AWS/Lambda", "Errors", dimension), f.node.path).toHaveLength(1);
      expect(alarmsOn("AWS/Lambda", "Throttles", dimension), f.node.path).toHaveLength(1);
    }
  });

  it("let CloudWatch alarms of this account publish to the topic", () => {
    // The alarms topic's policy (the change topic has one of its own).
    const topic = JSON.stringify({ Ref: built.logicalId(stack.alarms.topic) });
    const policy = Object.values(built.resourcesOfType("AWS::SNS::TopicPolicy")).find((p) =>
      JSON.stringify(p.Properties["Topics"]).includes(topic),
    )!;
    expect(JSON.stringify(policy.Properties["PolicyDocument"])).toContain("cloudwatch.amazonaws.com");
  });

  it("mail the addresses of alarmEmail and notify an existing topic too", () => {
    const existing = "arn:aws:sns:eu-central-1:123456789012:ops";
    const other = new BuiltStack({
      alarmEmail: "ops@example.org, oncall@example.org",
      alarmTopicArn: existing,
    });
    const subs = Object.values(other.resourcesOfType("AWS::SNS::Subscription")).map((s) => s.Properties);
    expect(subs.map((s) => [s["Protocol"], s["Endpoint"]])).toEqual([
      ["email", "ops@example.org"],
      ["email", "oncall@example.org"],
    ]);
    for (const a of Object.values(other.resourcesOfType("AWS::CloudWatch::Alarm")))
      expect(a.Properties["AlarmActions"]).toEqual([
        { Ref: other.logicalId(other.stack.alarms.topic) },
        existing,
      ]);
    expect(() => new BuiltStack({ alarmEmail: "not-an-address" })).toThrow(/alarmEmail/);
  });

  it("count the metric that ingest really logs for an unreadable product", async () => {
    const lines: Record<string, unknown>[] = [];
    const capture = (_: string, f?: Record<string, unknown>) => {
      if (f) lines.push(f);
    };
    const log: Logger = { info: capture, warn: capture, error: capture };
    const local = await startEphemeralStack({ log });
    try {
      await local.upload("notes/readme.txt", "not a product", "text/plain");
    } finally {
      await local.close();
    }
    const emf = lines.find((l) => l["_aws"] !== undefined) as
      | { _aws: { CloudWatchMetrics: { Namespace: string; Metrics: { Name: string }[] }[] } }
      | undefined;
    expect(emf?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({
        Namespace: INGEST_FAILURES_METRIC.namespace,
        Metrics: [expect.objectContaining({ Name: INGEST_FAILURES_METRIC.metricName })],
      }),
    ]);
    expect(emf).toHaveProperty(INGEST_FAILURES_METRIC.metricName, 1);
  });
});
