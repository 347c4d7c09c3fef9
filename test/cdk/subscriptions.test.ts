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

describe("relays (relayBuckets)", () => {
  const s3Statements = (built: BuiltStack) =>
    built
      .allowStatementsOf(built.stack.subscriptions.handler.role)
      .filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")));
  const envOf = (built: BuiltStack, fn: Parameters<BuiltStack["resource"]>[0]) =>
    (built.resource(fn).Properties["Environment"] as { Variables: Record<string, unknown> }).Variables;

  it("are off by default: the function may touch no bucket", () => {
    const built = new BuiltStack({});
    expect(s3Statements(built)).toEqual([]);
    expect(Object.keys(envOf(built, built.stack.api.handler.function))).not.toContain(ENV_NAMES.relayBuckets);
  });

  it("read the products bucket's objects and write the named buckets only", () => {
    const built = new BuiltStack({ relayBuckets: "downstream-a,downstream-b" });
    const statements = s3Statements(built);
    const products = JSON.stringify({
      "Fn::Join": ["", [{ "Fn::GetAtt": [built.logicalId(built.stack.products.bucket), "Arn"] }, "/*"]],
    });
    const read = statements.find((s) => JSON.stringify(s.Resource) === products);
    expect(actionsOf(read!)).toEqual(["s3:GetObject"]);
    const write = statements.filter((s) => actionsOf(s).includes("s3:PutObject"));
    expect(write).toHaveLength(1);
    expect(write[0]!.Resource).toEqual(["arn:aws:s3:::downstream-a/*", "arn:aws:s3:::downstream-b/*"]);
    for (const s of statements) {
      expect(actionsOf(s).join()).not.toMatch(/Delete|\*/);
      expect(JSON.stringify(s.Resource)).not.toBe('"*"');
    }
    expect(envOf(built, built.stack.subscriptions.handler.function)[ENV_NAMES.relayBuckets]).toBe(
      "downstream-a,downstream-b",
    );
    expect(envOf(built, built.stack.api.handler.function)[ENV_NAMES.relayBuckets]).toBe(
      "downstream-a,downstream-b",
    );
  });
});
