// The scheduled lifecycle jobs: three daily rules invoking one function with the job's name; it reads only
// its two input keys and the snapshots, writes only snapshots, lists and deletes products, and writes the
// catalogue; no managed policy; one run at a time.
import { describe, expect, it } from "vitest";
import { LIFECYCLE_INPUT_KEYS } from "../../cdk/constructs/lifecycle-jobs.ts";
import { ENV_NAMES } from "../../shared/config.ts";
import { actionsOf, BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { stack, template } = built;
const jobs = stack.lifecycle;
const fn = built.resource(jobs.handler.function);
const fnArn = { "Fn::GetAtt": [built.logicalId(jobs.handler.function), "Arn"] };

describe("lifecycle jobs", () => {
  it("run daily from three EventBridge rules, each naming its job, without retries", () => {
    const rules = Object.values(built.resourcesOfType("AWS::Events::Rule")).filter((r) =>
      JSON.stringify(r.Properties["Targets"]).includes(built.logicalId(jobs.handler.function)),
    );
    const inputs = rules.map((r) => {
      const [t] = r.Properties["Targets"] as { Input: string; RetryPolicy: unknown; Arn: unknown }[];
      expect(r.Properties["ScheduleExpression"]).toBe("rate(1 day)");
      expect(t!.Arn).toEqual(fnArn);
      expect(t!.RetryPolicy).toEqual({ MaximumRetryAttempts: 0 });
      return JSON.parse(t!.Input).job;
    });
    expect(inputs.sort()).toEqual(["retention", "snapshots", "sync-deletions"]);
    // One run at a time: a snapshot refresh rewrites whole months, and must not overlap another.
    expect(fn.Properties["ReservedConcurrentExecutions"]).toBe(1);
    template.hasResourceProperties("AWS::Lambda::Permission", {
      Principal: "events.amazonaws.com",
      FunctionName: fnArn,
    });
  });

  it("know the table, the products bucket and where their inputs are", () => {
    const env = (fn.Properties["Environment"] as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV_NAMES.table]).toEqual({ Ref: built.logicalId(stack.catalogue.table) });
    expect(env[ENV_NAMES.productsBucket]).toEqual({ Ref: built.logicalId(stack.products.bucket) });
    expect(env[ENV_NAMES.lifecycleBucket]).toEqual({ Ref: built.logicalId(jobs.inputs) });
    expect(env[ENV_NAMES.deletionsKey]).toBe(LIFECYCLE_INPUT_KEYS.deletions);
    expect(env[ENV_NAMES.retentionKey]).toBe(LIFECYCLE_INPUT_KEYS.retention);
    expect(fn.Properties["Timeout"]).toBe(900);
  });

  it("read their two inputs, read and write snapshots, list and delete products, write the catalogue, invoke themselves, and nothing else", () => {
    const statements = built.allowStatementsOf(jobs.handler.role);
    const actions = statements.flatMap(actionsOf);
    expect([...new Set(actions.filter((a) => a.startsWith("s3:")))].sort()).toEqual([
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
    ]);
    // GetObject on the two input keys and, in the products bucket, under _snapshots/ only; PutObject (a
    // month's file is a multipart upload, aborted when a refresh starts over) there only.
    const products = built.logicalId(stack.products.bucket);
    const gets = statements.filter((s) => actionsOf(s).includes("s3:GetObject"));
    expect(JSON.stringify(gets)).toContain(LIFECYCLE_INPUT_KEYS.retention);
    const onProducts = statements.filter(
      (s) => JSON.stringify(s.Resource).includes(products) && !actionsOf(s).includes("s3:DeleteObject"),
    );
    expect(
      onProducts
        .filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")))
        .map((s) => [actionsOf(s).sort(), s.Resource]),
    ).toEqual([
      [["s3:ListBucket"], { "Fn::GetAtt": [products, "Arn"] }],
      [
        ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"],
        { "Fn::Join": ["", [{ "Fn::GetAtt": [products, "Arn"] }, "/_snapshots/*"]] },
      ],
    ]);
    expect(actions).toEqual(
      expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"]),
    );
    // A snapshot refresh out of time goes on in a new invocation of this function, and only of it.
    const invokes = statements.filter((s) => actionsOf(s).includes("lambda:InvokeFunction"));
    expect(invokes.map((s) => s.Resource)).toEqual([
      { "Fn::GetAtt": [built.logicalId(jobs.handler.function), "Arn"] },
    ]);
    expect(actions.filter((a) => !/^(s3|dynamodb|logs|xray):/.test(a))).toEqual(["lambda:InvokeFunction"]);
    expect(built.resource(jobs.handler.role).Properties["ManagedPolicyArns"]).toBeUndefined();
  });

  it("keep their inputs in a private, encrypted, TLS-only bucket", () => {
    const b = built.resource(jobs.inputs).Properties;
    expect(b["PublicAccessBlockConfiguration"]).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(b["BucketEncryption"])).toContain("AES256");
  });
});
