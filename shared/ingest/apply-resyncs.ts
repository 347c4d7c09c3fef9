// Reconcile's resyncs applied at once, in this process (the reconcile command and the scheduled
// function), a few keys at a time; each under its key's claim like any event. A key that cannot be
// applied now (busy, a passing fault) is left for the next run.
import type { IngestDeps } from "./ingest.ts";
import { ingestObjectEvent } from "./ingest.ts";

export function applyResyncs(
  deps: IngestDeps,
  bucket: string,
  o: { concurrency?: number; timeLeftMs?: () => number } = {},
): (keys: string[]) => Promise<number> {
  return async (keys) => {
    // Stop handing out keys a minute before the time runs out: one product read fits in that.
    if (o.timeLeftMs && o.timeLeftMs() < 60_000) return 0;
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++]!;
        try {
          await ingestObjectEvent(deps, {
            kind: "sync",
            bucket,
            key,
            sequencer: "",
            time: deps.now().toISOString(),
          });
        } catch (err) {
          deps.log.warn("resync left for the next reconcile", { key, error: String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency ?? 4, keys.length) }, worker));
    return keys.length;
  };
}
