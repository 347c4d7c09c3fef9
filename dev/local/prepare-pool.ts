// A bulk load's line preparation in `n` worker threads (prepare-worker.ts): each batch is split in n
// contiguous parts, one per thread, and put back together in line order.
import { Worker } from "node:worker_threads";
import type { PreparedLine } from "../../shared/ingest/bulk-item.ts";
import type { PrepareBatch } from "../../shared/ingest/bulk-load.ts";
import type { PrepareRequest } from "./prepare-worker.ts";

export function preparePool(n: number): { prepare: PrepareBatch; close: () => Promise<void> } {
  const workers = Array.from(
    { length: n },
    () => new Worker(new URL("./prepare-worker.mjs", import.meta.url)),
  );
  const waiting = new Map<number, { resolve: (out: PreparedLine[]) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  for (const w of workers) {
    w.on("message", (m: { id: number; out: PreparedLine[] }) => {
      waiting.get(m.id)?.resolve(m.out);
      waiting.delete(m.id);
    });
    w.on("error", (e) => {
      for (const p of waiting.values()) p.reject(e);
      waiting.clear();
    });
  }
  const ask = (w: Worker, req: Omit<PrepareRequest, "id">) =>
    new Promise<PreparedLine[]>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      w.postMessage({ ...req, id });
    });
  return {
    prepare: async (lines, version, now) => {
      const size = Math.ceil(lines.length / n);
      const parts = workers.map((w, k) =>
        ask(w, { lines: lines.slice(k * size, (k + 1) * size), version, now }),
      );
      return (await Promise.all(parts)).flat();
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
