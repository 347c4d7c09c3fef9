// The deployed shape of MD5 jobs: a function of its own whose timeout covers the largest product it may
// read, started only by ingest, parking failed jobs in the ingest dead-letter queue.
import { describe, expect, it } from "vitest";
import { DEFAULT_MD5_MAX_BYTES, ENV_NAMES } from "../../shared/config.ts";
import { actionsOf, BuiltStack } from "../cdk/build-stack.ts";

const built = new BuiltStack();
const { stack, template } = built;
const md5 = built.resource(stack.ingest.md5.function).Properties;
const ingest = built.resource(stack.ingest.handler.function).Properties;

describe("the MD5 function", () => {
  it("has Lambda's longest timeout, enough for the largest product at 16 MiB/s, and leaves ingest's alone", () => {
    expect(md5["Timeout"]).toBe(900);
    expect(DEFAULT_MD5_MAX_BYTES / 2 ** 20 / 16).toBeLessThan(900);
    expect(ingest["Timeout"]).toBe(60);
    expect(ingest["Environment"]).toMatchObject({
      Variables: {
        [ENV_NAMES.md5Function]: { Ref: built.logicalId(stack.ingest.md5.function) },
        [ENV_NAMES.md5MaxBytes]: String(DEFAULT_MD5_MAX_BYTES),
      },
    });
  });

  it("is invoked by ingest only, and reads products and item records, writing only those and the change log", () => {
    const invoke = built
      .allowStatementsOf(stack.ingest.handler.role)
      .filter((s) => actionsOf(s).some((a) => a.startsWith("lambda:")));
    expect(invoke.map((s) => [actionsOf(s), s.Resource])).toEqual([
      [["lambda:InvokeFunction"], { "Fn::GetAtt": [built.logicalId(stack.ingest.md5.function), "Arn"] }],
    ]);
    const statements = built.allowStatementsOf(stack.ingest.md5.role);
    const actions = statements.flatMap(actionsOf).filter((a) => /^(s3|dynamodb):/.test(a));
    expect(actions.sort()).toEqual([
      "dynamodb:BatchWriteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
      "s3:GetObject",
      "s3:ListBucket",
    ]);
    // The checksum update is a change of the item: its record, and its entry in the change log (H#).
    const writes = statements.filter((s) =>
      actionsOf(s).some((a) => /^dynamodb:(UpdateItem|PutItem|BatchWriteItem)$/.test(a)),
    );
    expect(writes.map((s) => s.Condition)).toEqual([
      { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["I#*", "H#*"] } },
    ]);
  });

  it("retries a failed job twice, then parks it in the ingest dead-letter queue", () => {
    template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
      FunctionName: { Ref: built.logicalId(stack.ingest.md5.function) },
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { "Fn::GetAtt": [built.logicalId(stack.ingest.deadLetterQueue), "Arn"] } },
      },
    });
  });
});
