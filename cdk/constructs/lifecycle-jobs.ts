// The scheduled lifecycle jobs: three EventBridge rules run one function, daily, to apply the upstream
// deletion list, to evict what the retention policies expired and to refresh the monthly stac-geoparquet
// snapshots (lambdas/lifecycle/). Their inputs are two keys of a small private bucket of their own; the
// function reads those, lists and deletes products, reads and writes snapshots under `_snapshots/` of
// the products bucket, and writes the catalogue (tombstones first), and nothing else.
import { Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import { LIFECYCLE_INPUT_KEYS } from "../../shared/lifecycle/inputs.ts";
import { SNAPSHOTS_PREFIX } from "../../shared/products/object-home.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";

export { LIFECYCLE_INPUT_KEYS };

export interface LifecycleJobsProps {
  entry: string;
  products: ProductsBucket;
  catalogue: CatalogueTable;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  reservedConcurrency?: number | undefined;
  /** How often each job runs; default once a day. */
  schedule?: events.Schedule;
}

export class LifecycleJobs extends Construct {
  readonly inputs: s3.Bucket;
  readonly handler: HexarchiveFunction;
  readonly syncRule: events.Rule;
  readonly retentionRule: events.Rule;
  readonly snapshotsRule: events.Rule;

  constructor(scope: Construct, id: string, props: LifecycleJobsProps) {
    super(scope, id);
    this.inputs = new s3.Bucket(this, "Inputs", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // The cast only bridges aws-cdk-lib typings that predate exactOptionalPropertyTypes (Bucket.isWebsite).
      serverAccessLogsBucket: props.products.accessLogsBucket as s3.IBucket,
      serverAccessLogsPrefix: "lifecycle-inputs/",
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive lifecycle: upstream deletions, retention, stac-geoparquet snapshots",
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: {
        [ENV_NAMES.table]: props.catalogue.table.tableName,
        [ENV_NAMES.productsBucket]: props.products.bucket.bucketName,
        [ENV_NAMES.lifecycleBucket]: this.inputs.bucketName,
        [ENV_NAMES.deletionsKey]: LIFECYCLE_INPUT_KEYS.deletions,
        [ENV_NAMES.retentionKey]: LIFECYCLE_INPUT_KEYS.retention,
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency,
    });
    // Its two inputs only; listing lets a missing input answer 404 (nothing to do) rather than 403.
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject"],
        resources: Object.values(LIFECYCLE_INPUT_KEYS).map((k) => this.inputs.arnForObjects(k)),
      }),
    );
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.inputs.bucketArn] }),
    );
    props.products.grantDeleteObjects(this.handler);
    props.products.grantList(this.handler);
    props.catalogue.grantCatalogueReadWrite(this.handler);
    // The snapshots and their state: read and written under _snapshots/ only (deleting is granted above).
    this.handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
        resources: [props.products.bucket.arnForObjects(`${SNAPSHOTS_PREFIX}*`)],
      }),
    );
    const bucketId = Stack.of(this).resolve(
      (props.products.bucket.node.defaultChild as s3.CfnBucket).logicalId,
    ) as string;
    Validations.of(this.handler).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${SNAPSHOTS_PREFIX}*]`,
      reason: `Snapshots are named by collection and month under ${SNAPSHOTS_PREFIX}; this function reads and writes them there only.`,
    });

    // A snapshot refresh that runs out of time invokes this same function to go on.
    this.handler.allowSelfInvoke();

    const rule = (id: string, job: string, description: string) => {
      const r = new events.Rule(this, id, {
        description,
        schedule: props.schedule ?? events.Schedule.rate(Duration.days(1)),
      });
      // A failed run is not retried at once: the next day's run finishes what it left (tombstones first).
      r.addTarget(
        new targets.LambdaFunction(this.handler.function, {
          event: events.RuleTargetInput.fromObject({ job }),
          retryAttempts: 0,
        }),
      );
      return r;
    };
    this.syncRule = rule("SyncDeletions", "sync-deletions", "Applies the upstream deleted-products list");
    this.retentionRule = rule("Retention", "retention", "Evicts products the retention policies expired");
    // Daily, not hourly: a run rewrites each month it finds changed whole, and ingest changes the current
    // month all day, so an hourly run would rewrite that file 24 times a day for a day's freshness gained.
    // Runs never overlap: the function's reserved concurrency is 1 (cdk/config.ts); a run the limit
    // holds back waits in Lambda's asynchronous queue.
    this.snapshotsRule = rule(
      "Snapshots",
      "snapshots",
      "Refreshes the monthly stac-geoparquet snapshots from the change log",
    );
  }
}
