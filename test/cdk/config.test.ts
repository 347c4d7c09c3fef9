import { readFileSync } from "node:fs";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { CONTEXT_KEYS, loadCdkConfig } from "../../cdk/config.ts";

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
      alarmEmails: [],
      relayBuckets: [],
      reservedConcurrency: {
        api: 25,
        transactions: 2,
        extractor: 4,
        ingest: 10,
        md5: 2,
        reconcile: 1,
        lifecycle: 1,
        subscriptions: 1,
        jobs: 2,
      },
      wafRateLimit: undefined,
      basemap: undefined,
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

  it("takes reserved concurrency per function from cdk.json or -c, keeping the defaults of the others", () => {
    expect(from({ reservedConcurrency: { api: 100 } }).reservedConcurrency).toMatchObject({
      api: 100,
      ingest: 10,
    });
    expect(from({ reservedConcurrency: "api=40, md5=1" }).reservedConcurrency).toMatchObject({
      api: 40,
      md5: 1,
      transactions: 2,
    });
    expect(from({ reservedConcurrency: "none" }).reservedConcurrency).toBeUndefined();
    expect(() => from({ reservedConcurrency: "api=0" })).toThrow(/reservedConcurrency/);
    expect(() => from({ reservedConcurrency: { apii: 3 } })).toThrow(/reservedConcurrency/);
  });

  it("takes alarm addresses and the WAF rate limit from -c strings", () => {
    expect(from({ alarmEmail: "a@example.org,b@example.org", wafRateLimit: "500" })).toMatchObject({
      alarmEmails: ["a@example.org", "b@example.org"],
      wafRateLimit: 500,
    });
    expect(() => from({ wafRateLimit: "5" })).toThrow(/wafRateLimit/);
  });

  it("are all documented in the deploy guide's table of context options", () => {
    const guide = readFileSync(new URL("../../docs/deploy.md", import.meta.url), "utf8");
    const rows = guide.split("\n").filter((l) => l.startsWith("| `"));
    for (const key of CONTEXT_KEYS)
      expect(
        rows.some((r) => r.includes(`\`${key}\``)),
        key,
      ).toBe(true);
  });

  it("takes the search page's basemap tiles, an https URL template, with their credit", () => {
    const tiles = "https://{s}.tiles.example/{z}/{x}/{y}.png";
    expect(from({ basemapTiles: tiles, basemapAttribution: "© Example" }).basemap).toEqual({
      tiles,
      attribution: "© Example",
    });
    expect(() => from({ basemapTiles: "https://tiles.example/tile.png" })).toThrow("basemapTiles");
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
