// The subscriptions' deployment: a scheduled function that reads items and its own partitions, writes
// only its own, and publishes to an encrypted, TLS-only change topic.
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/config.ts";
import { leadingKeyPatterns, SUBSCRIPTIONS_WRITABLE_PREFIXES } from "../../shared/index/keys.ts";
import { actionsOf, BuiltStack } from "./build-stack.ts";

describe("subscriptions", () => {
  const built = new BuiltStack({});
  const { stack } = built;
  const fn = built.resource(stack.subscriptions.handler.function);

  it("run every minute, one at a time, with the change topic in their environment", () => {
    expect(fn.Properties["ReservedConcurrentExecutions"]).toBe(1);
    const env = fn.Properties["Environment"] as { Variables: Record<string, unknown> };
    expect(Object.keys(env.Variables)).toContain(ENV_NAMES.changesTopic);
    built.template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 minute)",
      Targets: Match.arrayWith([Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 0 } })]),
    });
  });

  it("write only the subscriptions' partitions and read only items besides", () => {
    const statements = built.allowStatementsOf(stack.subscriptions.handler.role);
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")));
    expect(dynamo).toHaveLength(2);
    for (const s of dynamo) {
      expect(JSON.stringify(s.Condition)).toMatch(/dynamodb:LeadingKeys/);
      expect(actionsOf(s).join()).not.toMatch(/Scan|DeleteTable|CreateTable/);
    }
    const writes = dynamo.find((s) => actionsOf(s).includes("dynamodb:PutItem"));
    expect(JSON.stringify(writes?.Condition)).toBe(
      JSON.stringify({
        "ForAllValues:StringLike": {
          "dynamodb:LeadingKeys": leadingKeyPatterns(SUBSCRIPTIONS_WRITABLE_PREFIXES),
        },
      }),
    );
    expect(leadingKeyPatterns(SUBSCRIPTIONS_WRITABLE_PREFIXES)).not.toContain("I#*");
  });

  it("publish to an encrypted topic that refuses plain HTTP", () => {
    built.template.hasResourceProperties("AWS::SNS::Topic", {
      DisplayName: "hexarchive item changes",
      KmsMasterKeyId: Match.anyValue(),
    });
    built.template.hasResourceProperties("AWS::SNS::TopicPolicy", {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      }),
    });
  });
});
