// Worker thread of the bench loader: generates items and computes their index rows (the H3 covers are
// the loader's main CPU cost), so that the main thread only marshals and writes.
import { parentPort } from "node:worker_threads";
import { buildItemRows } from "../../shared/index/rows.ts";
import { generateItem } from "./generate.ts";

export interface BuildRequest {
  seed: number;
  from: number;
  to: number;
}

parentPort?.on("message", (req: BuildRequest) => {
  const out = [];
  for (let i = req.from; i < req.to; i++) {
    const { item, cls } = generateItem(req.seed, i);
    const built = buildItemRows(item, "v1");
    out.push({ item, cls, rows: built.rows, record: built.record, summary: built.summary });
  }
  parentPort!.postMessage(out);
});
