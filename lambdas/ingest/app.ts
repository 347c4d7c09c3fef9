// Adapts SQS batches of S3 notifications to the ingest domain, with partial batch failures: a message
// whose processing hit a passing fault goes back to the queue (and after enough tries to the DLQ). The
// same bundle runs the MD5 function, whose events are MD5 jobs (shared/ingest/md5-jobs.ts).
import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { type ObjectEvent, parseS3Notification } from "../../shared/ingest/events.ts";
import { type IngestDeps, ingestObjectEvent } from "../../shared/ingest/ingest.ts";
import { isMd5Event, type Md5Event, type Md5Job, parseMd5Event } from "../../shared/ingest/md5-jobs.ts";
import { withAsyncJobs } from "../async-jobs.ts";

/** Object keys of one batch applied at once; events of one key always one after the other. */
const KEYS_IN_PARALLEL = 4;

export function makeIngestHandler(deps: IngestDeps) {
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const failed = new Set<string>();
    // Records grouped by object key: a key's events in sequencer order (ingest refuses older ones
    // anyway), different keys side by side, so that one busy key does not hold up the batch.
    const byKey = new Map<string, { record: SQSRecord; ev: ObjectEvent }[]>();
    for (const record of event.Records) {
      try {
        // A body that is not JSON throws here and, like any failure, ends in the dead-letter queue.
        for (const ev of parseS3Notification(JSON.parse(record.body))) {
          const list = byKey.get(ev.key) ?? [];
          list.push({ record, ev });
          byKey.set(ev.key, list);
        }
      } catch (err) {
        fail(record, err);
      }
    }
    const groups = [...byKey.values()].map((g) =>
      g.sort((a, b) => (a.ev.sequencer < b.ev.sequencer ? -1 : 1)),
    );
    let next = 0;
    const worker = async () => {
      while (next < groups.length) {
        for (const { record, ev } of groups[next++]!) {
          if (failed.has(record.messageId)) continue;
          try {
            await ingestObjectEvent(deps, ev);
          } catch (err) {
            fail(record, err);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(KEYS_IN_PARALLEL, groups.length) }, worker));
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };

    function fail(record: SQSRecord, err: unknown) {
      deps.log.warn("ingest will be retried", {
        messageId: record.messageId,
        error: String(err),
        receiveCount: record.attributes?.ApproximateReceiveCount,
      });
      failed.add(record.messageId);
    }
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
