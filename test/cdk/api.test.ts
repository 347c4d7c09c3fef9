import { Match } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { ENV_NAMES } from "../../shared/config.ts";
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
