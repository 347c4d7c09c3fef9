// The scheduled reconcile: a daily rule invoking a function that reads products and the catalogue and
// writes only the catalogue (as ingest does), on its own log group, with no managed policy.
import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/config.ts";
import { actionsOf, BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { stack, template } = built;
const job = stack.reconcile;
const fn = built.resource(job.handler.function);

describe("reconcile job", () => {
  it("runs once a day from an EventBridge rule, without retries piling up runs", () => {
    template.hasResourceProperties("AWS::Events::Rule", {
      ScheduleExpression: "rate(1 day)",
      State: "ENABLED",
      Targets: [
        {
          Arn: { "Fn::GetAtt": [built.logicalId(job.handler.function), "Arn"] },
          Id: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        },
      ],
    });
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Action: "lambda:InvokeFunction",
      Principal: "events.amazonaws.com",
      FunctionName: { "Fn::GetAtt": [built.logicalId(job.handler.function), "Arn"] },
    });
  });

  it("knows the table and the bucket, and has Lambda's longest timeout", () => {
    const env = (fn.Properties["Environment"] as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV_NAMES.table]).toEqual({ Ref: built.logicalId(stack.catalogue.table) });
    expect(env[ENV_NAMES.productsBucket]).toEqual({ Ref: built.logicalId(stack.products.bucket) });
    expect(fn.Properties["Timeout"]).toBe(900);
    expect(fn.Properties["Architectures"]).toEqual(["arm64"]);
  });

  it("reads products and lists the bucket, writes the catalogue, and can do nothing else", () => {
    const actions = built.allowStatementsOf(job.handler.role).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith("s3:")).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
    expect(actions).toEqual(
      expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"]),
    );
    expect(actions).not.toContain("dynamodb:Scan");
    // Tracing is on by default: X-Ray's two write actions are the only others.
    expect(actions.filter((a) => !/^(s3|dynamodb|logs|xray):/.test(a))).toEqual([]);
    expect(built.resource(job.handler.role).Properties["ManagedPolicyArns"]).toBeUndefined();
  });
});
