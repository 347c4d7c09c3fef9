import { Match } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { toResult } from "../../lambdas/api/app.ts";
import { ENV_NAMES } from "../../shared/config.ts";
import { CORS_POLICY } from "../../shared/http/cors.ts";
import { actionsOf, BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { template, stack } = built;

describe("api", () => {
  it("sends every request to the API function through the $default route", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Route", { RouteKey: "$default" });
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      PayloadFormatVersion: "2.0",
      IntegrationUri: { "Fn::GetAtt": [built.logicalId(stack.api.handler.function), "Arn"] },
    });
  });

  it("logs access and throttles on the stage", () => {
    expect(built.resource(stack.api.stage).Properties).toMatchObject({
      StageName: "$default",
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: expect.anything(), Format: expect.stringContaining("requestId") },
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it("answers CORS preflights for GET and POST", () => {
    expect(built.resource(stack.api.httpApi).Properties["CorsConfiguration"]).toMatchObject({
      AllowOrigins: ["*"],
      AllowMethods: expect.arrayContaining(["GET", "POST"]),
    });
  });

  it("gives API Gateway the handler's one CORS policy: Range allowed, download headers exposed", () => {
    const cors = built.resource(stack.api.httpApi).Properties["CorsConfiguration"] as Record<string, unknown>;
    expect(cors).toEqual({
      AllowOrigins: ["*"],
      AllowMethods: [...CORS_POLICY.allowMethods],
      AllowHeaders: [...CORS_POLICY.allowHeaders],
      ExposeHeaders: [...CORS_POLICY.exposeHeaders],
      MaxAge: CORS_POLICY.maxAgeSeconds,
    });
    expect(cors["AllowHeaders"]).toContain("range");
    for (const h of ["content-range", "etag", "location", "content-length", "retry-after"])
      expect(cors["ExposeHeaders"]).toContain(h);
    // What the handler itself sends (all there is locally) is the same policy.
    const sent = toResult({ status: 204 }, "OPTIONS").headers as Record<string, string>;
    const list = (h: string) => sent[h]!.split(", ");
    expect(list("access-control-allow-headers")).toEqual(cors["AllowHeaders"]);
    expect(list("access-control-expose-headers")).toEqual(cors["ExposeHeaders"]);
    expect(list("access-control-allow-methods")).toEqual(cors["AllowMethods"]);
  });

  it("tells the function the table, bucket and presign lifetime, and no public URL by default", () => {
    const env = (
      built.resource(stack.api.handler.function).Properties["Environment"] as { Variables: object }
    ).Variables;
    expect(env).toMatchObject({
      [ENV_NAMES.table]: { Ref: built.logicalId(stack.catalogue.table) },
      [ENV_NAMES.productsBucket]: { Ref: built.logicalId(stack.products.bucket) },
      [ENV_NAMES.presignSeconds]: "300",
    });
    expect(env).not.toHaveProperty(ENV_NAMES.publicUrl);
    // No basemap tiles unless configured: the search page then calls no other host.
    expect(env).not.toHaveProperty(ENV_NAMES.basemapTiles);
    // One generated secret keys tokens and signed links; it is read at cold start, never put in the environment.
    expect(JSON.stringify(env)).not.toMatch(/resolve:secretsmanager/);
    expect(env).not.toHaveProperty(ENV_NAMES.signingKey);
    template.resourceCountIs("AWS::SecretsManager::Secret", 1);
  });

  it("signs paging tokens with a generated secret that only the API function may read", () => {
    const secret = built.resource(stack.api.tokenKey);
    expect(secret.Properties["GenerateSecretString"]).toMatchObject({ PasswordLength: 64 });
    const env = (
      built.resource(stack.api.handler.function).Properties["Environment"] as { Variables: object }
    ).Variables;
    const ref = { Ref: built.logicalId(stack.api.tokenKey) };
    expect(env).toMatchObject({ [ENV_NAMES.tokenSecret]: ref });
    const readers = (role: IConstruct) =>
      built
        .allowStatementsOf(role)
        .filter((st) => actionsOf(st).includes("secretsmanager:GetSecretValue"))
        .map((st) => st.Resource);
    expect(readers(stack.api.handler.role)).toEqual([ref]);
    expect(readers(stack.api.writer.role)).toEqual([]);
    if (stack.api.extractor) expect(readers(stack.api.extractor.role)).toEqual([]);
  });

  it("exports what an operator needs", () => {
    for (const name of ["ApiUrl", "ProductsBucketName", "CatalogueTableName", "DeadLetterQueueUrl"]) {
      template.hasOutput(name, Match.anyValue());
    }
  });

  it("serves a custom domain from context and tells the function its public URL", () => {
    const custom = new BuiltStack({
      stage: "prod",
      domainName: "stac.example.org",
      certificateArn: "arn:aws:acm:eu-central-1:123456789012:certificate/abc",
      corsOrigins: "https://browser.example.org",
      presignSeconds: "600",
    });
    expect(custom.stack.stackName).toBe("Hexarchive-prod");
    custom.template.hasResourceProperties("AWS::ApiGatewayV2::DomainName", {
      DomainName: "stac.example.org",
    });
    custom.template.resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 1);
    expect(custom.resource(custom.stack.api.handler.function).Properties["Environment"]).toMatchObject({
      Variables: { [ENV_NAMES.publicUrl]: "https://stac.example.org", [ENV_NAMES.presignSeconds]: "600" },
    });
    expect(custom.resource(custom.stack.api.httpApi).Properties["CorsConfiguration"]).toMatchObject({
      AllowOrigins: ["https://browser.example.org"],
    });
    custom.template.hasOutput("ApiUrl", { Value: "https://stac.example.org" });
    custom.template.hasOutput("ApiDomainTarget", Match.anyValue());
  });
});
