// Everything hexarchive needs in one stack: products bucket, catalogue table, ingest pipeline and API.
import * as path from "node:path";
import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type * as s3 from "aws-cdk-lib/aws-s3";
import type { Construct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import { CATALOGUE_TABLE } from "../../shared/index/table.ts";
import type { HexarchiveConfig } from "../config.ts";
import { ApiFront } from "../constructs/api-front.ts";
import { BackgroundJobs } from "../constructs/background-jobs.ts";
import { CatalogueApi } from "../constructs/catalogue-api.ts";
import { CatalogueTable } from "../constructs/catalogue-table.ts";
import { DownloadCache } from "../constructs/download-cache.ts";
import { HexarchiveFunction } from "../constructs/hexarchive-function.ts";
import { IngestPipeline } from "../constructs/ingest-pipeline.ts";
import { LifecycleJobs } from "../constructs/lifecycle-jobs.ts";
import { OperationsAlarms } from "../constructs/operations-alarms.ts";
import { ProductsBucket } from "../constructs/products-bucket.ts";
import { ReconcileJob } from "../constructs/reconcile-job.ts";
import { Subscriptions } from "../constructs/subscriptions.ts";
import { UserPool } from "../constructs/user-pool.ts";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

/** Handler modules; each exports `handler`. */
export const LAMBDA_ENTRIES = {
  api: path.join(REPO_ROOT, "lambdas/api/handler.ts"),
  ingest: path.join(REPO_ROOT, "lambdas/ingest/handler.ts"),
  reconcile: path.join(REPO_ROOT, "lambdas/reconcile/handler.ts"),
  lifecycle: path.join(REPO_ROOT, "lambdas/lifecycle/handler.ts"),
  subscriptions: path.join(REPO_ROOT, "lambdas/subscriptions/handler.ts"),
  jobs: path.join(REPO_ROOT, "lambdas/jobs/handler.ts"),
} as const;

export interface HexarchiveStackProps extends StackProps {
  config: HexarchiveConfig;
  /** A CLOUDFRONT-scope web ACL (edge-stack.ts): puts CloudFront with it in front of the API. */
  webAclArn?: string | undefined;
}

export class HexarchiveStack extends Stack {
  readonly products: ProductsBucket;
  readonly catalogue: CatalogueTable;
  readonly ingest: IngestPipeline;
  readonly reconcile: ReconcileJob;
  readonly lifecycle: LifecycleJobs;
  readonly subscriptions: Subscriptions;
  readonly api: CatalogueApi;
  readonly jobs: BackgroundJobs;
  readonly users: UserPool;
  readonly downloadCache: DownloadCache;
  readonly alarms: OperationsAlarms;
  /** CloudFront with the per-client rate limit, when `wafRateLimit` is set. */
  readonly front: ApiFront | undefined;

  constructor(scope: Construct, id: string, props: HexarchiveStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.products = new ProductsBucket(this, "ProductsBucket", {
      corsOrigins: config.corsOrigins,
      noncurrentVersionDays: config.noncurrentVersionDays,
      accessLogExpirationDays: config.accessLogExpirationDays,
    });

    this.catalogue = new CatalogueTable(this, "CatalogueTable", { definition: CATALOGUE_TABLE });

    this.ingest = new IngestPipeline(this, "Ingest", {
      entry: LAMBDA_ENTRIES.ingest,
      products: this.products,
      catalogue: this.catalogue,
      logRetention: config.logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.reservedConcurrency,
    });

    this.reconcile = new ReconcileJob(this, "Reconcile", {
      entry: LAMBDA_ENTRIES.reconcile,
      products: this.products,
      catalogue: this.catalogue,
      logRetention: config.logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.reservedConcurrency?.reconcile,
    });

    this.lifecycle = new LifecycleJobs(this, "Lifecycle", {
      entry: LAMBDA_ENTRIES.lifecycle,
      products: this.products,
      catalogue: this.catalogue,
      logRetention: config.logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.reservedConcurrency?.lifecycle,
    });
    this.subscriptions = new Subscriptions(this, "Subscriptions", {
      entry: LAMBDA_ENTRIES.subscriptions,
      catalogue: this.catalogue,
      logRetention: config.logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.reservedConcurrency?.subscriptions,
      relay: { products: this.products, buckets: config.relayBuckets },
    });

    this.users = new UserPool(this, "Users");
    this.downloadCache = new DownloadCache(this, "DownloadCache", {
      // The cast only bridges aws-cdk-lib typings that predate exactOptionalPropertyTypes (Bucket.isWebsite).
      accessLogsBucket: this.products.accessLogsBucket as s3.IBucket,
      expirationDays: 7,
    });

    this.api = new CatalogueApi(this, "Api", {
      users: this.users,
      downloadCache: this.downloadCache,
      entry: LAMBDA_ENTRIES.api,
      products: this.products,
      catalogue: this.catalogue,
      presignSeconds: config.presignSeconds,
      corsOrigins: config.corsOrigins,
      throttle: config.throttle,
      customDomain: config.customDomain,
      logRetention: config.logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.reservedConcurrency,
      basemap: config.basemap,
    });

    this.jobs = new BackgroundJobs(this, "Jobs", {
      entry: LAMBDA_ENTRIES.jobs,
      catalogue: this.catalogue,
      products: this.products,
      accessLogsBucket: this.products.accessLogsBucket as s3.IBucket,
      tokenKey: this.api.tokenKey,
      exportDays: 3,
      logRetention: config.logRetention,
      tracing: config.tracing,
      reservedConcurrency: config.reservedConcurrency?.jobs,
    });
    this.jobs.grantSubmit(this.api.handler);

    if (config.relayBuckets.length > 0) {
      // The API accepts relays into these buckets only; copies name the item's URL here as their source.
      this.api.handler.function.addEnvironment(ENV_NAMES.relayBuckets, config.relayBuckets.join(","));
      this.subscriptions.handler.function.addEnvironment(ENV_NAMES.publicUrl, this.api.url);
    }
    if (props.webAclArn !== undefined) {
      this.front = new ApiFront(this, "ApiFront", { httpApi: this.api.httpApi, webAclArn: props.webAclArn });
      // Links in answers lead clients to CloudFront, not around the rate limit to the execute-api endpoint.
      for (const fn of [this.api.handler, this.api.writer, this.api.extractor])
        fn?.function.addEnvironment(ENV_NAMES.publicUrl, this.front.url);
      if (config.relayBuckets.length > 0)
        this.subscriptions.handler.function.addEnvironment(ENV_NAMES.publicUrl, this.front.url);
    } else {
      this.front = undefined;
    }

    // Last, so that it sees every function: each one's errors and throttles page the operators.
    this.alarms = new OperationsAlarms(this, "Alarms", {
      emails: config.alarmEmails,
      existingTopicArn: config.alarmTopicArn,
    });
    this.alarms.watchIngest(this.ingest);
    this.alarms.watchApi(this.api);
    this.alarms.watchTable(this.catalogue);
    for (const fn of this.node.findAll().filter((c) => c instanceof HexarchiveFunction))
      this.alarms.watchFunction(fn);

    new CfnOutput(this, "ApiUrl", {
      description: "STAC API landing page",
      value: this.front?.url ?? this.api.url,
    });
    if (this.api.domainName) {
      new CfnOutput(this, "ApiDomainTarget", {
        description: "Point a CNAME (or alias) for the custom domain here",
        value: this.api.domainName.regionalDomainName,
      });
    }
    new CfnOutput(this, "ProductsBucketName", {
      description: "Upload products here; they are indexed automatically",
      value: this.products.bucket.bucketName,
    });
    new CfnOutput(this, "UserPoolId", { value: this.users.pool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: this.users.client.userPoolClientId });
    new CfnOutput(this, "JobsBucketName", {
      description: "Exports are written under exports/; put NDJSON to import under imports/",
      value: this.jobs.bucket.bucketName,
    });
    new CfnOutput(this, "CatalogueTableName", { value: this.catalogue.table.tableName });
    new CfnOutput(this, "ChangesTopicArn", {
      description: "Every item change is published here (attributes: collection, event, platform, cells)",
      value: this.subscriptions.topic.topicArn,
    });
    new CfnOutput(this, "AlarmTopicArn", {
      description: "Alarms notify this topic (subscribe more endpoints to it)",
      value: this.alarms.topic.topicArn,
    });
    new CfnOutput(this, "DeadLetterQueueUrl", {
      description: "Ingest records that failed repeatedly",
      value: this.ingest.deadLetterQueue.queueUrl,
    });
  }
}
