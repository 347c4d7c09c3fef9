// Adapts SQS batches of S3 notifications to the ingest domain, with partial batch failures: a message
// whose processing hit a passing fault goes back to the queue (and after enough tries to the DLQ). The
// same bundle runs the MD5 function, whose events are MD5 jobs (shared/ingest/md5-jobs.ts).
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { parseS3Notification } from "../../shared/ingest/events.ts";
import { type IngestDeps, ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { isMd5Event, type Md5Event, type Md5Job, parseMd5Event } from "../../shared/ingest/md5-jobs.ts";
import { withAsyncJobs } from "../async-jobs.ts";

export function makeIngestHandler(deps: IngestDeps) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const failures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      try {
        // A body that is not JSON throws here and, like any failure, ends in the dead-letter queue.
        for (const ev of parseS3Notification(JSON.parse(record.body))) await ingestObjectEvent(deps, ev);
      } catch (err) {
        deps.log.warn("ingest will be retried", {
          messageId: record.messageId,
          error: String(err),
          receiveCount: record.attributes?.ApproximateReceiveCount,
        });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  });
}

/** The ingest handler, or an MD5 job when the event is one (see lambdas/async-jobs.ts). */
export function withMd5Jobs(
  ingest: ReturnType<typeof makeIngestHandler>,
  md5: (job: Md5Job) => Promise<unknown>,
) {
  return withAsyncJobs<SQSEvent | Md5Event, SQSBatchResponse, Md5Job>(
    (event, context) => ingest(event as SQSEvent, context),
    { isEvent: isMd5Event, parse: parseMd5Event },
    md5,
  );
}
