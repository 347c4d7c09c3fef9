// The bucket that holds files extracted from products for download: private, encrypted, and emptied by
// a lifecycle rule (copies are recreated on demand, so losing them costs only time).
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct, type IConstruct } from "constructs";

/** Where extracted members are written; the API may write here and nowhere else. */
export const CACHE_PREFIX = "members/";

export interface DownloadCacheProps {
  accessLogsBucket: s3.IBucket;
  expirationDays: number;
}

export class DownloadCache extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: DownloadCacheProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: "download-cache/",
      lifecycleRules: [
        {
          id: "expire-extracted-files",
          expiration: Duration.days(props.expirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Write (multipart included) and read back, under the cache prefix only. */
  grantReadWriteMembers(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
        resources: [this.bucket.arnForObjects(`${CACHE_PREFIX}*`)],
      }),
    );
    // Without it S3 answers 403 instead of 404 for a file not extracted yet, and the cache lookup fails.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.bucket.bucketArn] }),
    );
    const logicalId = Stack.of(this).resolve(
      (this.bucket.node.defaultChild as s3.CfnBucket).logicalId,
    ) as string;
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${CACHE_PREFIX}*]`,
      reason:
        "Extracted files get keys derived from the product and member path; the function writes only below the cache prefix of its own cache bucket.",
    });
  }
}
