import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { loadCdkConfig } from "../../cdk/config.ts";

const from = (context: Record<string, unknown>) => loadCdkConfig((key) => context[key]);

describe("loadCdkConfig", () => {
  it("has defaults for a first deploy", () => {
    expect(from({})).toEqual({
      stage: "dev",
      presignSeconds: 300,
      logRetention: RetentionDays.ONE_MONTH,
      corsOrigins: ["*"],
      customDomain: undefined,
      alarmTopicArn: undefined,
      tracing: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      noncurrentVersionDays: 30,
      accessLogExpirationDays: 365,
    });
  });

  it("accepts the strings that `cdk -c key=value` passes", () => {
    const config = from({
      stage: "prod",
      presignSeconds: "900",
      logRetentionDays: "90",
      corsOrigins: "https://a.example, https://b.example",
      tracing: "false",
    });
    expect(config).toMatchObject({
      stage: "prod",
      presignSeconds: 900,
      logRetention: RetentionDays.THREE_MONTHS,
      corsOrigins: ["https://a.example", "https://b.example"],
      tracing: false,
    });
  });

  it("names every bad key", () => {
    expect(() => from({ logRetentionDays: 31, stage: "Prod" })).toThrow(
      /logRetentionDays: .*stage: |stage: .*logRetentionDays: /,
    );
  });

  it("wants a certificate with a custom domain", () => {
    expect(() => from({ domainName: "stac.example.org" })).toThrow(/domainName and certificateArn/);
  });
});
