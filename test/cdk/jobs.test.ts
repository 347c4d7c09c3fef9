// Background jobs on AWS: a private, TLS-only bucket whose exports expire after a few days; a function
// that writes only exports, reads only imports and may invoke only itself (to continue a job); and an
// API that may start jobs on it and read finished exports to presign them.
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/config.ts";
import { actionsOf, BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { stack } = built;
const bucketArn = { "Fn::GetAtt": [built.logicalId(stack.jobs.bucket), "Arn"] };
const objects = (prefix: string) => ({ "Fn::Join": ["", [bucketArn, `/${prefix}*`]] });

describe("background jobs", () => {
  it("keep their results in a private bucket that expires exports after three days", () => {
    const b = built.resource(stack.jobs.bucket).Properties;
    expect(b["PublicAccessBlockConfiguration"]).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const rules = (b["LifecycleConfiguration"] as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Id: "expire-exports",
          Prefix: "exports/",
          ExpirationInDays: 3,
          Status: "Enabled",
        }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }),
      ]),
    );
  });

  it("run in a function that writes (and reads back) only exports, reads only imports, and invokes only itself", () => {
    const fn = stack.jobs.handler;
    const statements = built.allowStatementsOf(fn.role);
    const s3 = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("s3:")));
    const onJobs = s3.filter((s) => JSON.stringify(s.Resource).includes(built.logicalId(stack.jobs.bucket)));
    expect(onJobs.map((s) => [actionsOf(s).sort(), s.Resource])).toEqual([
      [["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"], objects("exports/")],
      [["s3:GetObject"], objects("imports/")],
      [["s3:ListBucket"], bucketArn],
    ]);
    // Nothing else is written anywhere in S3.
    expect(s3.filter((s) => actionsOf(s).some((a) => /Put|Delete/.test(a)))).toHaveLength(1);
    const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith("lambda:")));
    expect(invoke.map((s) => s.Resource)).toEqual([{ "Fn::GetAtt": [built.logicalId(fn.function), "Arn"] }]);
    const props = built.resource(fn.function).Properties;
    expect(props["Timeout"]).toBe(900);
    const env = (props["Environment"] as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV_NAMES.jobsBucket]).toEqual({ Ref: built.logicalId(stack.jobs.bucket) });
    expect(env[ENV_NAMES.tokenSecret]).toEqual({ Ref: built.logicalId(stack.api.tokenKey) });
  });

  it("are started by the API, which knows the function and the bucket, reads exports and puts imports only", () => {
    const env = (
      built.resource(stack.api.handler.function).Properties["Environment"] as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(env[ENV_NAMES.jobsFunction]).toEqual({ Ref: built.logicalId(stack.jobs.handler.function) });
    expect(env[ENV_NAMES.jobsBucket]).toEqual({ Ref: built.logicalId(stack.jobs.bucket) });
    const grants = built
      .allowStatementsOf(stack.api.handler.role)
      .filter((s) => JSON.stringify(s.Resource).includes(built.logicalId(stack.jobs.bucket)));
    // It presigns links to finished exports, and operators' uploads of import files (POST /admin/import/uploads).
    expect(grants.map((s) => [actionsOf(s), s.Resource])).toEqual([
      [["s3:GetObject"], objects("exports/")],
      [["s3:PutObject"], objects("imports/")],
    ]);
  });
});
