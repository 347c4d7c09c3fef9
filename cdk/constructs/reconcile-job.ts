// The scheduled reconcile: an EventBridge rule runs a function that lists the products bucket page by
// page and repairs the index where events were lost (shared/ingest/reconcile.ts). It reads products
// and writes the catalogue as ingest does, and nothing else.
import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ENV_NAMES } from "../../shared/config.ts";
import type { CatalogueTable } from "./catalogue-table.ts";
import { HexarchiveFunction } from "./hexarchive-function.ts";
import type { ProductsBucket } from "./products-bucket.ts";

export interface ReconcileJobProps {
  entry: string;
  products: ProductsBucket;
  catalogue: CatalogueTable;
  logRetention: logs.RetentionDays;
  tracing: boolean;
  reservedConcurrency?: number | undefined;
  /** How often it runs; default once a day. */
  schedule?: events.Schedule;
}

export class ReconcileJob extends Construct {
  readonly handler: HexarchiveFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReconcileJobProps) {
    super(scope, id);
    this.handler = new HexarchiveFunction(this, "Handler", {
      entry: props.entry,
      description: "hexarchive reconcile: repairs the catalogue where S3 events were lost",
      memorySize: 1024,
      // Lambda's longest: a run resyncs what it can and leaves the rest to the next one.
      timeout: Duration.minutes(15),
      environment: {
        [ENV_NAMES.table]: props.catalogue.table.tableName,
        [ENV_NAMES.productsBucket]: props.products.bucket.bucketName,
      },
      logRetention: props.logRetention,
      tracing: props.tracing,
      reservedConcurrency: props.reservedConcurrency,
    });
    props.products.grantReadObjects(this.handler);
    props.products.grantList(this.handler);
    props.catalogue.grantCatalogueReadWrite(this.handler);

    this.rule = new events.Rule(this, "Schedule", {
      description: "Runs the hexarchive reconcile",
      schedule: props.schedule ?? events.Schedule.rate(Duration.days(1)),
    });
    // One run at a time is enough: a second would only repeat the first one's resyncs.
    this.rule.addTarget(new targets.LambdaFunction(this.handler.function, { retryAttempts: 0 }));
  }
}
