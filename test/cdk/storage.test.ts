import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { CATALOGUE_TABLE } from "../../shared/index/table.ts";
import { BuiltStack } from "./build-stack.ts";

const built = new BuiltStack();
const { template, stack } = built;

describe("catalogue table", () => {
  const table = built.resource(stack.catalogue.table);

  it("takes its key schema and indexes from CATALOGUE_TABLE", () => {
    const { partitionKey, sortKey, globalSecondaryIndexes } = CATALOGUE_TABLE;
    expect(table.Properties["KeySchema"]).toEqual([
      { AttributeName: partitionKey.name, KeyType: "HASH" },
      { AttributeName: sortKey.name, KeyType: "RANGE" },
    ]);
    expect(table.Properties["AttributeDefinitions"]).toEqual(
      expect.arrayContaining([
        { AttributeName: partitionKey.name, AttributeType: partitionKey.type },
        { AttributeName: sortKey.name, AttributeType: sortKey.type },
      ]),
    );
    const indexes = (table.Properties["GlobalSecondaryIndexes"] ?? []) as { IndexName: string }[];
    expect(indexes.map((i) => i.IndexName)).toEqual(globalSecondaryIndexes.map((i) => i.indexName));
  });

  it("is on-demand, point-in-time recoverable and survives stack deletion", () => {
    template.resourceCountIs("AWS::DynamoDB::Table", 1);
    expect(table).toMatchObject({
      DeletionPolicy: "Retain",
      Properties: {
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      },
    });
  });
});

describe("products bucket", () => {
  const bucket = built.resource(stack.products.bucket);

  it("is private, encrypted, versioned, access-logged and retained", () => {
    expect(bucket).toMatchObject({
      DeletionPolicy: "Retain",
      Properties: {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
        },
        VersioningConfiguration: { Status: "Enabled" },
        LoggingConfiguration: {
          DestinationBucketName: { Ref: built.logicalId(stack.products.accessLogsBucket) },
        },
      },
    });
  });

  it("expires noncurrent versions and lets browsers follow presigned GETs", () => {
    expect(bucket.Properties).toMatchObject({
      LifecycleConfiguration: {
        Rules: expect.arrayContaining([
          expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: "Enabled" }),
        ]),
      },
      CorsConfiguration: {
        CorsRules: [expect.objectContaining({ AllowedMethods: ["GET", "HEAD"], AllowedOrigins: ["*"] })],
      },
    });
  });

  it("lets the access-log bucket be written only by S3 log delivery for this bucket, and keeps it private", () => {
    expect(built.resource(stack.products.accessLogsBucket).Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicPolicy: true, RestrictPublicBuckets: true },
      BucketEncryption: expect.anything(),
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: built.logicalId(stack.products.accessLogsBucket) },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Condition: Match.objectLike({
              ArnLike: { "aws:SourceArn": { "Fn::GetAtt": [built.logicalId(stack.products.bucket), "Arn"] } },
            }),
          }),
        ]),
      },
    });
  });

  it("refuses every request that does not use TLS, on every bucket (products, access logs, download cache, lifecycle inputs, jobs)", () => {
    const buckets = Object.keys(built.resourcesOfType("AWS::S3::Bucket"));
    expect(buckets).toHaveLength(5);
    for (const logicalId of buckets) {
      template.hasResourceProperties("AWS::S3::BucketPolicy", {
        Bucket: { Ref: logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: "Deny",
              Action: "s3:*",
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        },
      });
    }
  });
});
