// Worker thread of the bench loader: generates items and computes their
// index rows (the H3 covers are the loader's main CPU cost), so that the main thread only marshals and writes.
import { parentPort } from "node:worker_threads";
import { buildItemRows } from "../../shared/index/rows.ts";
import { generateItem, type Shape } from "./generate.ts";

/** Items [from, to) of the generated archive. */
export type BuildRequest = { seed: number; from: number; to: number; shape: Shape };

parentPort?.on("message", (req: BuildRequest) => {
  const out = [];
  const given = Array.from({ length: req.to - req.from }, (_, k) =>
    generateItem(req.seed, req.from + k, req.shape),
  );
  for (const { item, cls } of given) {
    const built = buildItemRows(item, "v1");
    out.push({ item, cls, rows: built.rows, record: built.record, summary: built.summary });
  }
  parentPort!.postMessage(out);
});
