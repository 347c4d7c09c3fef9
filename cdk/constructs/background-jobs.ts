// Background jobs on AWS (shared/jobs/): search exports and NDJSON imports, run by a function of their
// own (15 minutes an invocation) that the API starts with an asynchronous invocation and that continues a
// long job by invoking itself; and the jobs' private bucket: exports under `exports/` (expired after a
// few days), imports read from `imports/`.
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import type * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct, type IConstruct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";

export const EXPORTS_PREFIX = "exports/";
export const IMPORTS_PREFIX = "imports/";

export interface BackgroundJobsProps {
  entry: string;
  catalogue: CatalogueTable;
  products: ProductsBucket;
  accessLogsBucket: s3.IBucket;
  /** The API's paging-token key: an export's checkpoint is a paging token. */
  tokenKey: secretsmanager.Secret;
  /** Days an export stays downloadable (its links are presigned on each read of the job). */
  exportDays: number;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  reservedConcurrency?: number | undefined;
}

export class BackgroundJobs extends Construct {
  readonly bucket: s3.Bucket;
  readonly handler: HexarchiveFunction;

  constructor(scope: Construct, id: string, props: BackgroundJobsProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, "Bucket", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: "jobs/",
      lifecycleRules: [
        { id: "expire-exports", prefix: EXPORTS_PREFIX, expiration: Duration.days(props.exportDays) },
        { id: "expire-imports", prefix: IMPORTS_PREFIX, expiration: Duration.days(30) },
        // An export that failed is aborted by its job; one whose function died is cleared here.
        { id: "abort-unfinished-uploads", abortIncompleteMultipartUploadAfter: Duration.days(2) },
      ],
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive background jobs: search exports, NDJSON imports",
      memorySize: 1769,
      // A job stops two minutes before this (lambdas/jobs/deps.ts reserveMs) and continues in a new invocation.
      timeout: Duration.minutes(15),
      environment: {
        [ENV_NAMES.table]: props.catalogue.table.tableName,
        [ENV_NAMES.productsBucket]: props.products.bucket.bucketName,
        [ENV_NAMES.jobsBucket]: this.bucket.bucketName,
        [ENV_NAMES.tokenSecret]: props.tokenKey.secretArn,
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency,
    });
    // A job that fails marks itself failed and returns; a retry only follows an invocation that died
    // (timeout, out of memory), and goes on from its last checkpoint.
    this.handler.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    // Imports write items (checked as the Transactions function checks, batched: shared/jobs/bulk-sink.ts);
    // exports read them; both keep job records.
    props.catalogue.grantCatalogueReadWrite(this.handler);
    props.products.grantReadObjects(this.handler);
    props.tokenKey.grantRead(this.handler);
    // A stac-geoparquet export writes NDJSON under exports/ first, then reads it back and deletes it.
    this.grantObjects(
      this.handler,
      ["s3:PutObject", "s3:AbortMultipartUpload", "s3:GetObject", "s3:DeleteObject"],
      EXPORTS_PREFIX,
      "writes exports (and reads back and deletes the NDJSON a stac-geoparquet export is converted from)",
    );
    this.grantObjects(
      this.handler,
      ["s3:GetObject"],
      IMPORTS_PREFIX,
      "reads the NDJSON objects operators put there",
    );
    // Without it S3 answers 403 rather than 404 for an import object that is not there.
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.bucket.bucketArn] }),
    );
    // Continuing a job invokes this same function.
    this.handler.allowSelfInvoke();
  }

  /** The API starts jobs (an asynchronous invocation), presigns finished exports and operators' import uploads. */
  grantSubmit(api: HexarchiveFunction): void {
    api.function.addEnvironment(ENV_NAMES.jobsFunction, this.handler.function.functionName);
    api.function.addEnvironment(ENV_NAMES.jobsBucket, this.bucket.bucketName);
    api.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["lambda:InvokeFunction"],
        resources: [this.handler.function.functionArn],
      }),
    );
    this.grantObjects(api, ["s3:GetObject"], EXPORTS_PREFIX, "presigns links to finished exports");
    this.grantObjects(
      api,
      ["s3:PutObject"],
      IMPORTS_PREFIX,
      "presigns operators' uploads of import files (POST /admin/import/uploads)",
    );
  }

  private grantObjects(grantee: iam.IGrantable & IConstruct, actions: string[], prefix: string, why: string) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions, resources: [this.bucket.arnForObjects(`${prefix}*`)] }),
    );
    const logicalId = Stack.of(this).resolve(
      (this.bucket.node.defaultChild as s3.CfnBucket).logicalId,
    ) as string;
    Validations.of(grantee).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/${prefix}*]`,
      reason: `Job objects are named by job id under fixed prefixes; this function ${why}, under ${prefix} of the jobs bucket only.`,
    });
  }
}
