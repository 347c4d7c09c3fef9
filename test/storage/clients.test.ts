// The SDK clients the functions build: without the SDK's per-call logger middleware, whose input and
// output copies through the sensitive-data filter cost CPU on every call even with no logger set.
import { describe, expect, it } from "vitest";
import { makeDocumentClient, makeS3Client } from "../../shared/storage/clients.ts";

const opts = {
  region: "eu-central-1",
  dynamoEndpoint: "http://127.0.0.1:1",
  s3Endpoint: "http://127.0.0.1:1",
};

describe("SDK clients", () => {
  it("have no logger middleware on the document client's stack (shared with its DynamoDB client)", () => {
    const names = makeDocumentClient(opts).middlewareStack.identify();
    expect(names.some((n) => n.startsWith("loggerMiddleware"))).toBe(false);
    // The stack still has the rest: signing, retries, serialisation.
    expect(names.some((n) => n.startsWith("retryMiddleware"))).toBe(true);
  });

  it("have no logger middleware on the S3 client", () => {
    const names = makeS3Client(opts).middlewareStack.identify();
    expect(names.some((n) => n.startsWith("loggerMiddleware"))).toBe(false);
    expect(names.some((n) => n.startsWith("retryMiddleware"))).toBe(true);
  });
});
