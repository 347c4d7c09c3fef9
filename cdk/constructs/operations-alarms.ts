// What pages an operator: one SNS topic (e-mail subscriptions from context, and optionally an existing
// topic too) and the alarms that notify it: ingest failure rate, dead letters, API 5xx, Lambda errors
// and throttles, DynamoDB throttles. Every alarm created or adopted here notifies on ALARM and on OK.
import { Annotations, Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import type { CatalogueApi } from "./catalogue-api.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import type { HexarchiveFunction } from "./hexarchive-function.ts";
import type { IngestPipeline } from "./ingest-pipeline.ts";

/**
 * The embedded metric the ingest code logs once per product it records as failed (shared/ingest/ingest.ts,
 * `recordFailure`). Written twice, so test/cdk/alarms.test.ts reads the metric the real ingest logs.
 */
export const INGEST_FAILURES_METRIC = { namespace: "hexarchive", metricName: "IngestFailures" } as const;

/**
 * A rate alarm fires when at least `minCount` of `total` failed in a period and they are at least `percent`
 * of it: a share alone would page on one bad upload at night, a count alone on a busy day's normal noise.
 */
interface RateRule {
  period: Duration;
  minCount: number;
  percent: number;
}
/**
 * Unreadable products are expected now and then (they are listed at /admin/failures); a tenth of the
 * uploads of a quarter of an hour failing is a new product format, a broken reader or a bad upload tool.
 */
export const INGEST_FAILURE_RULE: RateRule = { period: Duration.minutes(15), minCount: 5, percent: 10 };
/** Bad input answers 4xx; a 5xx is an outage, a timeout or a bug. One request in a hundred is too many. */
export const API_5XX_RULE: RateRule = { period: Duration.minutes(5), minCount: 5, percent: 1 };
const PERIOD = Duration.minutes(5);
/**
 * The SDK retries throttled requests, so a few are absorbed; more in five minutes mean a hot partition or
 * an account limit that requests are failing on.
 */
export const TABLE_THROTTLE_THRESHOLD = 10;

export interface OperationsAlarmsProps {
  /** Addresses subscribed to the topic (each confirms by e-mail once). */
  emails: string[];
  /** An existing topic (chat, paging) notified as well. */
  existingTopicArn: string | undefined;
}

export class OperationsAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly actions: cloudwatch.IAlarmAction[];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.topic = new sns.Topic(this, "Topic", {
      displayName: `${stack.stackName} alarms`,
      enforceSSL: true,
    });
    // The topic policy CDK writes for enforceSSL replaces SNS's default one, so allow CloudWatch alarms of
    // this account (and only those) to publish explicitly.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
        actions: ["sns:Publish"],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            "aws:SourceArn": `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
          StringEquals: { "aws:SourceAccount": stack.account },
        },
      }),
    );
    // No KMS key: alarm messages carry only alarm names, states and metric values, and CloudWatch cannot
    // publish to a topic encrypted with the AWS managed key (aws/sns).
    for (const email of props.emails) this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    if (props.emails.length === 0 && props.existingTopicArn === undefined)
      Annotations.of(this).addInfo(
        "No alarmEmail and no alarmTopicArn: alarms notify a topic nobody subscribes to (output AlarmTopicArn).",
      );

    this.actions = [new cloudwatchActions.SnsAction(this.topic)];
    if (props.existingTopicArn !== undefined)
      this.actions.push(
        new cloudwatchActions.SnsAction(
          sns.Topic.fromTopicArn(this, "ExistingTopic", props.existingTopicArn),
        ),
      );
  }

  /** Lets the topic know of an alarm made elsewhere. */
  notify(alarm: cloudwatch.Alarm): void {
    alarm.addAlarmAction(...this.actions);
    alarm.addOkAction(...this.actions);
    this.alarms.push(alarm);
  }

  /** Failed products (failure records) as a share of the queue's records, and any dead letter. */
  watchIngest(ingest: IngestPipeline): void {
    const failures = new cloudwatch.Metric({ ...INGEST_FAILURES_METRIC, statistic: cloudwatch.Stats.SUM });
    // Every record ingest finishes, indexed or recorded as failed, is deleted from the queue.
    const records = ingest.queue.metricNumberOfMessagesDeleted({ statistic: cloudwatch.Stats.SUM });
    this.rateAlarm(
      ingest,
      "FailureRateAlarm",
      failures,
      records,
      INGEST_FAILURE_RULE,
      "of uploaded products could not be indexed (see /admin/failures)",
    );
    this.notify(ingest.deadLetterAlarm);
  }

  /** Server errors as a share of the API's requests. */
  watchApi(api: CatalogueApi): void {
    const errors = api.httpApi.metricServerError({ statistic: cloudwatch.Stats.SUM });
    const requests = api.httpApi.metricCount({ statistic: cloudwatch.Stats.SUM });
    this.rateAlarm(api, "ServerErrorAlarm", errors, requests, API_5XX_RULE, "of API requests answered 5xx");
  }

  /**
   * Errors: the handlers turn expected failures into responses or failure records, so an error is an
   * unhandled exception or a timeout. Throttles: the function's reserved concurrency was reached.
   */
  watchFunction(fn: HexarchiveFunction): void {
    const name = fn.node.path;
    this.alarm(
      fn,
      "ErrorsAlarm",
      fn.function.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      1,
      `${name}: invocations failed (unhandled error or timeout)`,
    );
    this.alarm(
      fn,
      "ThrottlesAlarm",
      fn.function.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
      1,
      `${name}: invocations throttled (reserved concurrency reached)`,
    );
  }

  /** Read and write throttle events of the table (on-demand tables throttle too: hot partitions, account limits). */
  watchTable(catalogue: CatalogueTable): void {
    const events = (name: string) => catalogue.table.metric(name, { statistic: cloudwatch.Stats.SUM });
    const throttles = new cloudwatch.MathExpression({
      expression: "FILL(r, 0) + FILL(w, 0)",
      usingMetrics: { r: events("ReadThrottleEvents"), w: events("WriteThrottleEvents") },
      period: PERIOD,
      label: "throttled reads and writes",
    });
    this.alarm(
      catalogue,
      "ThrottleAlarm",
      throttles,
      TABLE_THROTTLE_THRESHOLD,
      "catalogue table requests throttled",
    );
  }

  private rateAlarm(
    scope: Construct,
    id: string,
    failures: cloudwatch.IMetric,
    total: cloudwatch.IMetric,
    rule: RateRule,
    what: string,
  ): void {
    const fill = (id: string, m: cloudwatch.IMetric) =>
      new cloudwatch.MathExpression({
        expression: `FILL(${id}, 0)`,
        usingMetrics: { [id]: m },
        period: rule.period,
      });
    // MAX([f, n]) ≥ f ≥ minCount > 0 where the share is taken, and the share cannot pass 100 % when the
    // two metrics' data points fall into different periods.
    const share = new cloudwatch.MathExpression({
      expression: `IF(f >= ${rule.minCount}, 100 * f / MAX([f, n]), 0)`,
      usingMetrics: { f: fill("failed", failures), n: fill("all", total) },
      period: rule.period,
      label: "percent failed",
    });
    this.alarm(
      scope,
      id,
      share,
      rule.percent,
      `${rule.percent} % or more (at least ${rule.minCount}) ${what} in ${rule.period.toMinutes()} minutes`,
    );
  }

  private alarm(
    scope: Construct,
    id: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
  ): void {
    this.notify(
      new cloudwatch.Alarm(scope, id, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
