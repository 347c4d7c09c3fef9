import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/config.ts";
import { BuiltStack } from "./build-stack.ts";

const target = { account: "123456789012", region: "eu-central-1" };
const waf = new BuiltStack({ wafRateLimit: "600" }, target);

describe("per-client rate limit", () => {
  it("is off by default: no CloudFront, no web ACL, one stack", () => {
    const plain = new BuiltStack();
    expect(plain.edge).toBeUndefined();
    expect(plain.stack.front).toBeUndefined();
    plain.template.resourceCountIs("AWS::CloudFront::Distribution", 0);
  });

  it("blocks a client IP past wafRateLimit requests in 5 minutes, with a CLOUDFRONT web ACL in us-east-1", () => {
    expect(waf.edge?.region).toBe("us-east-1");
    const edge = Template.fromStack(waf.edge!);
    edge.resourceCountIs("AWS::WAFv2::WebACL", 1);
    const acl = Object.values(edge.findResources("AWS::WAFv2::WebACL"))[0]!.Properties;
    expect(acl).toMatchObject({ Scope: "CLOUDFRONT", DefaultAction: { Allow: {} } });
    expect(acl.Rules).toEqual([
      expect.objectContaining({
        Statement: { RateBasedStatement: { AggregateKeyType: "IP", Limit: 600, EvaluationWindowSec: 300 } },
        Action: {
          Block: expect.objectContaining({ CustomResponse: expect.objectContaining({ ResponseCode: 429 }) }),
        },
      }),
    ]);
  });

  it("puts CloudFront with that web ACL in front of the API, uncached, and sends clients' links there", () => {
    const dist = waf.resource(waf.stack.front!.distribution).Properties["DistributionConfig"] as Record<
      string,
      unknown
    >;
    // Read from the us-east-1 stack's output by CloudFormation itself (a weak reference: no custom resource).
    expect(dist["WebACLId"]).toEqual({
      "Fn::GetStackOutput": {
        StackName: waf.edge!.stackName,
        Region: "us-east-1",
        OutputName: expect.stringContaining("WebAcl"),
      },
    });
    expect(Object.keys(waf.resourcesOfType("AWS::Lambda::Function"))).toHaveLength(10); // 9 (with the background jobs function) + S3 notifications
    expect(dist["DefaultCacheBehavior"]).toMatchObject({
      AllowedMethods: expect.arrayContaining(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // Managed-CachingDisabled
    });
    expect(JSON.stringify(dist["Origins"])).toContain(waf.logicalId(waf.stack.api.httpApi));
    for (const fn of [waf.stack.api.handler, waf.stack.api.writer]) {
      const env = (
        waf.resource(fn.function).Properties["Environment"] as { Variables: Record<string, unknown> }
      ).Variables;
      expect(JSON.stringify(env[ENV_NAMES.publicUrl])).toContain(
        waf.logicalId(waf.stack.front!.distribution),
      );
    }
    expect(JSON.stringify(waf.template.toJSON()["Outputs"]["ApiUrl"])).toContain("DomainName");
  });

  it("needs the deploy region, and no custom domain", () => {
    expect(() => new BuiltStack({ wafRateLimit: "600" })).toThrow(/region/);
    expect(
      () =>
        new BuiltStack(
          { wafRateLimit: "600", domainName: "stac.example.org", certificateArn: "arn:aws:acm:x" },
          target,
        ),
    ).toThrow(/wafRateLimit/);
  });
});
