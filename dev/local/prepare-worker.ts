// Worker thread of `npm run load`: checks NDJSON lines and computes their index rows
// (shared/ingest/bulk-item.ts; the H3 covers are a bulk load's main CPU cost), off the writing thread.
import { parentPort } from "node:worker_threads";
import { prepareLines } from "../../shared/ingest/bulk-item.ts";
import type { NdjsonLine } from "../../shared/ingest/ndjson-lines.ts";

export interface PrepareRequest {
  id: number;
  lines: NdjsonLine[];
  version: string;
  now: string;
}

parentPort?.on("message", async (req: PrepareRequest) => {
  parentPort!.postMessage({ id: req.id, out: await prepareLines(req.lines, req.version, req.now) });
});
