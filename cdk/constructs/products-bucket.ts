// The private bucket that holds the Copernicus products, plus the bucket that receives its access logs.
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct, type IConstruct } from "constructs";

export interface ProductsBucketProps {
  /** Origins whose browsers may follow presigned GET links. */
  corsOrigins: string[];
  noncurrentVersionDays: number;
  accessLogExpirationDays: number;
}

export class ProductsBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ProductsBucketProps) {
    super(scope, id);
    // Grant log delivery through the bucket policy, not the legacy LogDeliveryWrite ACL (which needs ACLs
    // enabled). Set here so the construct behaves the same whatever feature flags the app carries.
    this.node.setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    this.accessLogsBucket = new s3.Bucket(this, "AccessLogs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // The S3 log delivery service can only write to SSE-S3 encrypted targets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        { id: "expire-access-logs", expiration: Duration.days(props.accessLogExpirationDays) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new s3.Bucket(this, "Products", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // SSE-S3 lets presigned GETs work without granting kms:Decrypt to every reader.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The cast only bridges aws-cdk-lib typings that predate exactOptionalPropertyTypes (Bucket.isWebsite).
      serverAccessLogsBucket: this.accessLogsBucket as s3.IBucket,
      serverAccessLogsPrefix: "products/",
      cors: [
        {
          allowedMethods: [s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: props.corsOrigins,
          // Range lets browser clients (COG/zip readers) fetch parts of large products.
          allowedHeaders: ["Range", "If-Match", "If-None-Match", "If-Modified-Since"],
          exposedHeaders: ["Accept-Ranges", "Content-Length", "Content-Range", "Content-Type", "ETag"],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        {
          id: "expire-noncurrent-versions",
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
        { id: "remove-expired-delete-markers", expiredObjectDeleteMarker: true },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** s3:GetObject on every product: enough to read a product and to presign download links for it. */
  grantReadObjects(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:GetObject"], resources: [this.bucket.arnForObjects("*")] }),
    );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalId()}.Arn>/*]`,
      reason:
        "Products live under arbitrary keys chosen by uploaders; reading (or presigning) any product is this function's job. Only s3:GetObject is granted.",
    });
  }

  /**
   * s3:DeleteObject on the products: deletions with a cause (shared/lifecycle/), which write a tombstone
   * first; each removal sends the ObjectRemoved event ingest expects.
   */
  grantDeleteObjects(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:DeleteObject"], resources: [this.bucket.arnForObjects("*")] }),
    );
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${this.logicalId()}.Arn>/*]`,
      reason:
        "Products live under arbitrary keys chosen by uploaders; deleting any product (after writing its tombstone) is this function's job. Only s3:GetObject, s3:DeleteObject and listing are granted.",
    });
  }

  /** s3:ListBucket on the bucket itself (lets GetObject answer 404 rather than 403 for missing keys). */
  grantList(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.bucket.bucketArn] }),
    );
  }

  private logicalId(): string {
    const cfn = this.bucket.node.defaultChild as s3.CfnBucket;
    return Stack.of(this).resolve(cfn.logicalId) as string;
  }
}
