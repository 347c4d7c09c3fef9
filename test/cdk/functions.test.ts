import { describe, expect, it } from "vitest";
import {
  API_WRITABLE_PREFIXES,
  downloadKey,
  itemKey,
  leadingKeyPatterns,
  leaseKey,
  MD5_WRITABLE_PREFIXES,
  objectKey,
  SEARCH_USAGE_SHARDS,
  searchParamsKey,
  statsKey,
  tileRowKey,
  timeRowKey,
} from "../../shared/index/keys.ts";
import { stringLike } from "../support/string-like.ts";
import { actionsOf, BuiltStack, statementsOf } from "./build-stack.ts";

const built = new BuiltStack();
const { stack } = built;
const functions = { api: stack.api.handler, transactions: stack.api.writer, ingest: stack.ingest.handler };

describe("functions", () => {
  it.each(Object.entries(functions))("%s runs on arm64 with Node 22 or newer", (_, f) => {
    const { Runtime, Architectures } = built.resource(f.function).Properties;
    expect(Runtime).toMatch(/^nodejs\d+\.x$/);
    expect(Number(String(Runtime).match(/\d+/)?.[0])).toBeGreaterThanOrEqual(22);
    expect(Architectures).toEqual(["arm64"]);
  });

  it.each(Object.entries(functions))("%s logs to its own log group with a retention", (_, f) => {
    expect(built.resource(f.function).Properties["LoggingConfig"]).toMatchObject({
      LogGroup: { Ref: built.logicalId(f.logGroup) },
    });
    expect(built.resource(f.logGroup).Properties["RetentionInDays"]).toBe(30);
  });
});

describe("reserved concurrency", () => {
  const reservedOf = (b: BuiltStack, f: { function: Parameters<BuiltStack["resource"]>[0] }) =>
    b.resource(f.function).Properties["ReservedConcurrentExecutions"];

  it("is explicit for every function, from the defaults in cdk/config.ts", () => {
    const all = {
      ...functions,
      extractor: stack.api.extractor!,
      md5: stack.ingest.md5,
      reconcile: stack.reconcile.handler,
      lifecycle: stack.lifecycle.handler,
      subscriptions: stack.subscriptions.handler,
      jobs: stack.jobs.handler,
    };
    expect(Object.fromEntries(Object.entries(all).map(([name, f]) => [name, reservedOf(built, f)]))).toEqual({
      api: 25,
      transactions: 2,
      ingest: 10,
      extractor: 4,
      md5: 2,
      reconcile: 1,
      lifecycle: 1,
      subscriptions: 1,
      jobs: 2,
    });
    const lambdas = Object.values(built.resourcesOfType("AWS::Lambda::Function")).filter(
      (f) =>
        f.Properties["Description"] !== undefined &&
        String(f.Properties["Description"]).startsWith("hexarchive"),
    );
    expect(lambdas.length).toBe(Object.keys(all).length);
    for (const f of lambdas) expect(f.Properties["ReservedConcurrentExecutions"]).toBeGreaterThan(0);
  });

  it("follows context, and can be turned off for accounts with a low concurrency quota", () => {
    const tuned = new BuiltStack({ reservedConcurrency: "api=60" });
    expect(reservedOf(tuned, tuned.stack.api.handler)).toBe(60);
    expect(reservedOf(tuned, tuned.stack.ingest.handler)).toBe(10);
    const none = new BuiltStack({ reservedConcurrency: "none" });
    expect(reservedOf(none, none.stack.api.handler)).toBeUndefined();
  });
});

describe("least privilege", () => {
  it("grants no action wildcards in any identity policy", () => {
    const wildcards = Object.values(built.resourcesOfType("AWS::IAM::Policy"))
      .flatMap(statementsOf)
      .filter((s) => s.Effect === "Allow")
      .flatMap(actionsOf)
      .filter((a) => a.includes("*"));
    expect(wildcards).toEqual([]);
  });

  it("lets the API read the catalogue, products and finished exports, and write only leases, statistics, the download cache and (presigned for operators) import files", () => {
    const statements = built.allowStatementsOf(stack.api.handler.role);
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith("s3:")).sort()).toEqual([
      "s3:AbortMultipartUpload",
      "s3:GetObject",
      "s3:GetObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
      "s3:PutObject",
    ]);
    const cacheMembers = {
      "Fn::Join": [
        "",
        [{ "Fn::GetAtt": [built.logicalId(stack.downloadCache.bucket), "Arn"] }, "/members/*"],
      ],
    };
    const imports = {
      "Fn::Join": ["", [{ "Fn::GetAtt": [built.logicalId(stack.jobs.bucket), "Arn"] }, "/imports/*"]],
    };
    expect(statements.filter((s) => actionsOf(s).includes("s3:PutObject")).map((s) => s.Resource)).toEqual([
      cacheMembers,
      imports,
    ]);
    expect(actions.filter((a) => a.startsWith("dynamodb:")).sort()).toEqual([
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:DeleteItem",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]);
    const writes = statements.find((s) => actionsOf(s).includes("dynamodb:PutItem"));
    expect(writes?.Condition).toEqual({
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": leadingKeyPatterns(API_WRITABLE_PREFIXES) },
    });
  });

  it("lets the API write its leases, download records and search counters, and no partition of the index", () => {
    const writes = built
      .allowStatementsOf(stack.api.handler.role)
      .filter((s) => actionsOf(s).some((a) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(a)));
    expect(writes).toHaveLength(1);
    const patterns = (writes[0]!.Condition as Record<string, Record<string, string[]>>)[
      "ForAllValues:StringLike"
    ]!["dynamodb:LeadingKeys"]!;
    const allowed = (pk: string) => patterns.some((p) => stringLike(p, pk));
    const t = "2025-06-01T00:00:00.000Z";
    const shards = Array.from({ length: SEARCH_USAGE_SHARDS }, (_, i) => searchParamsKey("2025-06", i));
    for (const k of [leaseKey("alice"), downloadKey(t, "n0nce"), ...shards])
      expect(allowed(k.pk), k.pk).toBe(true);
    // A collection named like a month has tile rows `P#2025-06#…`.
    for (const k of [
      tileRowKey("2025-06", "MGRS-33UVR", t, "id"),
      tileRowKey("sentinel-2-l2a", "MGRS-33UVR", t, "id"),
      itemKey("sentinel-2-l2a", "id"),
      timeRowKey("sentinel-2-l2a", t, "id"),
      statsKey("sentinel-2-l2a", "801ffff"),
      objectKey("products/a.zip"),
    ])
      expect(allowed(k.pk), k.pk).toBe(false);
  });

  it("lets the MD5 function write item records and the change log only", () => {
    const writes = built
      .allowStatementsOf(stack.ingest.md5.role)
      .filter((s) => actionsOf(s).some((a) => a.startsWith("dynamodb:")));
    expect(writes.map((s) => s.Condition)).toEqual([
      { "ForAllValues:StringLike": { "dynamodb:LeadingKeys": leadingKeyPatterns(MD5_WRITABLE_PREFIXES) } },
    ]);
    expect(leadingKeyPatterns(MD5_WRITABLE_PREFIXES)).toEqual(["I#*", "H#*"]);
  });

  it("lets the API start extractions and jobs on their functions only; the extractor reads products and writes the cache", () => {
    const extractor = stack.api.extractor!;
    const invoke = built
      .allowStatementsOf(stack.api.handler.role)
      .filter((s) => actionsOf(s).some((a) => a.startsWith("lambda:")));
    expect(invoke.map((s) => [actionsOf(s), s.Resource])).toEqual([
      [["lambda:InvokeFunction"], { "Fn::GetAtt": [built.logicalId(extractor.function), "Arn"] }],
      [["lambda:InvokeFunction"], { "Fn::GetAtt": [built.logicalId(stack.jobs.handler.function), "Arn"] }],
    ]);
    const actions = built.allowStatementsOf(extractor.role).flatMap(actionsOf);
    expect(actions.filter((a) => /^(s3|dynamodb|lambda):/.test(a)).sort()).toEqual([
      "s3:AbortMultipartUpload",
      "s3:GetObject",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:PutObject",
    ]);
    const fn = built.resource(extractor.function).Properties;
    expect(fn["Timeout"]).toBe(900);
  });

  it("gives catalogue writes only to the transactions function, which never writes products (it deletes them: deletions with a cause)", () => {
    const actions = built.allowStatementsOf(stack.api.writer.role).flatMap(actionsOf);
    expect(actions).toEqual(
      expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]),
    );
    expect(actions.filter((a) => a.startsWith("s3:")).sort()).toEqual([
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:ListBucket",
    ]);
    // The read-only function deletes only in its own partitions (a user's subscription and its queue).
    const deletes = built
      .allowStatementsOf(stack.api.handler.role)
      .filter((s) =>
        actionsOf(s).some((a) => a === "dynamodb:DeleteItem" || a === "dynamodb:BatchWriteItem"),
      );
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.Condition).toEqual({
      "ForAllValues:StringLike": { "dynamodb:LeadingKeys": leadingKeyPatterns(API_WRITABLE_PREFIXES) },
    });
  });

  it("routes the transaction methods, and only those, to the transactions function", () => {
    const routes = Object.values(built.resourcesOfType("AWS::ApiGatewayV2::Route")).map((r) =>
      String(r.Properties["RouteKey"]),
    );
    expect(routes.sort()).toEqual(
      [
        "$default",
        "DELETE /collections/{collectionId}",
        "DELETE /collections/{collectionId}/items/{itemId}",
        "PATCH /collections/{collectionId}",
        "PATCH /collections/{collectionId}/items/{itemId}",
        "POST /collections",
        "POST /collections/{collectionId}/items",
        "POST /collections/{collectionId}/items/{itemId}/delete",
        "PUT /collections/{collectionId}",
        "PUT /collections/{collectionId}/items/{itemId}",
      ].sort(),
    );
  });

  it("lets ingest read products and write the catalogue, but never write products", () => {
    const actions = built.allowStatementsOf(stack.ingest.handler.role).flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith("s3:")).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
    expect(actions).toEqual(
      expect.arrayContaining([
        "dynamodb:PutItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "sqs:DeleteMessage",
      ]),
    );
    expect(actions).not.toContain("dynamodb:Scan");
  });

  it("scopes product reads to the products bucket's objects (and the API's export reads to finished exports)", () => {
    const productObjects = {
      "Fn::Join": ["", [{ "Fn::GetAtt": [built.logicalId(stack.products.bucket), "Arn"] }, "/*"]],
    };
    const exports = {
      "Fn::Join": ["", [{ "Fn::GetAtt": [built.logicalId(stack.jobs.bucket), "Arn"] }, "/exports/*"]],
    };
    for (const [name, f] of Object.entries(functions)) {
      const getObject = built
        .allowStatementsOf(f.role)
        .filter((s) => actionsOf(s).includes("s3:GetObject") && !actionsOf(s).includes("s3:PutObject"));
      expect(getObject.map((s) => s.Resource)).toEqual(
        name === "api" ? [productObjects, exports] : [productObjects],
      );
    }
  });

  it("attaches no AWS managed policy to the hexarchive functions", () => {
    for (const f of Object.values(functions)) {
      expect(built.resource(f.role).Properties["ManagedPolicyArns"]).toBeUndefined();
    }
  });
});
