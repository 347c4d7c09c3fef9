// Adapts the scheduled reconcile (an EventBridge rule) to the domain: one run per invocation, stopping
// its resyncs a minute before the function's time runs out (the rest are found by the next run).
import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { applyResyncs } from "../../shared/ingest/apply-resyncs.ts";
import type { IngestDeps } from "../../shared/ingest/ingest.ts";
import { type ReconcileReport, reconcile } from "../../shared/ingest/reconcile.ts";
import type { ObjectInfo } from "../../shared/storage/object-store.ts";

export interface ReconcileHandlerDeps {
  ingest: IngestDeps;
  bucket: string;
  listObjects(): AsyncIterable<ObjectInfo[]>;
}

export function makeReconcileHandler(deps: ReconcileHandlerDeps) {
  return middy<unknown, ReconcileReport>().handler(async (_event, context: Context) =>
    reconcile({
      catalogue: deps.ingest.catalogue,
      ledger: deps.ingest.ledger,
      listObjects: deps.listObjects,
      resync: applyResyncs(deps.ingest, deps.bucket, {
        timeLeftMs: () => context.getRemainingTimeInMillis(),
      }),
      log: deps.ingest.log,
      now: deps.ingest.now,
    }),
  );
}
