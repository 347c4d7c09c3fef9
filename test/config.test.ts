// shared/config.ts: the lifetime of download lists' refresh links (a week unless set, bounded); relay settings.
import { describe, expect, it } from "vitest";
import { ENV_NAMES, loadConfig } from "../shared/config.ts";

const BASE = { HEXARCHIVE_TABLE: "t", HEXARCHIVE_PRODUCTS_BUCKET: "bkt" };

describe("refresh link lifetime", () => {
  it("is a week by default, set by HEXARCHIVE_REFRESH_LINK_SECONDS, and refused out of bounds", () => {
    expect(ENV_NAMES.refreshLinkSeconds).toBe("HEXARCHIVE_REFRESH_LINK_SECONDS");
    expect(loadConfig(BASE).refreshLinkSeconds).toBe(604_800);
    expect(loadConfig({ ...BASE, HEXARCHIVE_REFRESH_LINK_SECONDS: "86400" }).refreshLinkSeconds).toBe(86_400);
    expect(() => loadConfig({ ...BASE, HEXARCHIVE_REFRESH_LINK_SECONDS: "5" })).toThrow(
      /REFRESH_LINK_SECONDS/,
    );
  });
});

describe("relay settings", () => {
  it("allow no relay bucket by default, take a comma-separated list, and bound the per-run limits", () => {
    expect(loadConfig(BASE)).toMatchObject({
      relayBuckets: [],
      relayLimits: { concurrency: 4, bytesPerRun: 20 * 2 ** 30 },
    });
    const set = loadConfig({
      ...BASE,
      [ENV_NAMES.relayBuckets]: "down-a, down-b,",
      [ENV_NAMES.relayConcurrency]: "2",
      [ENV_NAMES.relayBytesPerRun]: "1000000",
    });
    expect(set.relayBuckets).toEqual(["down-a", "down-b"]);
    expect(set.relayLimits).toEqual({ concurrency: 2, bytesPerRun: 1_000_000 });
    expect(() => loadConfig({ ...BASE, HEXARCHIVE_RELAY_CONCURRENCY: "0" })).toThrow(/RELAY_CONCURRENCY/);
    expect(() => loadConfig({ ...BASE, HEXARCHIVE_RELAY_BYTES_PER_RUN: "x" })).toThrow(/RELAY_BYTES_PER_RUN/);
  });
});

describe("the lean DynamoDB reads switch", () => {
  it("is off by default (lean reads), on with HEXARCHIVE_SDK_READS=true, and refuses other values", async () => {
    expect(loadConfig(BASE).sdkReads).toBe(false);
    expect(loadConfig({ ...BASE, [ENV_NAMES.sdkReads]: "true" }).sdkReads).toBe(true);
    expect(() => loadConfig({ ...BASE, HEXARCHIVE_SDK_READS: "yes" })).toThrow(/HEXARCHIVE_SDK_READS/);
    // The client the functions make: lean reads replace `send`, the switch keeps the SDK's own.
    const { makeDocumentClient } = await import("../shared/storage/clients.ts");
    const { DynamoDBDocumentClient } = await import("@aws-sdk/lib-dynamodb");
    const lean = makeDocumentClient({ region: "eu-central-1" });
    const sdk = makeDocumentClient({ region: "eu-central-1", sdkReads: true });
    expect(lean.send).not.toBe(DynamoDBDocumentClient.prototype.send);
    expect(sdk.send).toBe(DynamoDBDocumentClient.prototype.send);
    lean.destroy();
    sdk.destroy();
  });
});
