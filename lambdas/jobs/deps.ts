// Wires the job runner to DynamoDB and S3; used by the jobs function and the local stack, which pass how
// an invocation starts (Lambda: asynchronous invocation of the same function; locally: in this process).
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { presentCollection, presentItem } from "../../shared/api/present.ts";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { bulkImportSink } from "../../shared/jobs/bulk-sink.ts";
import { DEFAULT_EXPORT_SETTINGS, type ExportSettings } from "../../shared/jobs/export-job.ts";
import { DEFAULT_IMPORT_SETTINGS, type ImportSettings } from "../../shared/jobs/import-job.ts";
import type { ImportSpec } from "../../shared/jobs/model.ts";
import { S3PartUploads } from "../../shared/jobs/multipart.ts";
import { exportRunner, importRunner, type JobRunnerDeps } from "../../shared/jobs/runner.ts";
import type { JobStarter } from "../../shared/jobs/starters.ts";
import { DynamoJobStore } from "../../shared/jobs/store.ts";
import type { Logger } from "../../shared/log.ts";
import type { PagingTokens } from "../../shared/search/paging-tokens.ts";
import { DynamoCatalogue } from "../../shared/storage/dynamo-catalogue.ts";
import { DynamoObjectLedger } from "../../shared/storage/dynamo-object-ledger.ts";
import { DynamoTable } from "../../shared/storage/dynamo-table.ts";
import { S3ObjectStore } from "../../shared/storage/s3-object-store.ts";

export interface JobWiring {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  /** Where exports are written. */
  jobsBucket: string;
  productsBucket: string | undefined;
  tokens: PagingTokens;
  log: Logger;
  starter: JobStarter;
  /** Stop this long before the invocation's end (default 2 minutes: a step, a save, an invoke). */
  reserveMs?: number | undefined;
  export?: Partial<ExportSettings> | undefined;
  import?: Partial<ImportSettings> | undefined;
}

export function makeJobRunnerDeps(o: JobWiring): JobRunnerDeps {
  const catalogue = new DynamoCatalogue(o.doc, o.table);
  const owners = new DynamoObjectLedger(o.doc, o.table);
  const now = () => new Date();
  return {
    store: new DynamoJobStore(new DynamoTable(o.doc, o.table)),
    starter: o.starter,
    log: o.log,
    now,
    reserveMs: o.reserveMs ?? 120_000,
    kinds: {
      export: exportRunner({
        catalogue,
        tokens: o.tokens,
        present: { item: (i, base) => presentItem(i, base), collection: presentCollection },
        uploads: new S3PartUploads(o.s3, o.jobsBucket),
        settings: { ...DEFAULT_EXPORT_SETTINGS, ...o.export },
      }),
      import: importRunner({
        objects: (bucket) => new S3ObjectStore(o.s3, bucket),
        // Imports are for operators, checked when the job was submitted; operators pass every rule.
        // Checked as the Transactions API checks, written through the bulk writer (logged, batched).
        sink: (job) =>
          bulkImportSink(
            {
              catalogue,
              writer: catalogue,
              now,
              access: UNRESTRICTED,
              productsBucket: o.productsBucket,
              owners,
            },
            (job.spec as ImportSpec).baseUrl,
          ),
        settings: { ...DEFAULT_IMPORT_SETTINGS, ...o.import },
      }),
    },
  };
}
