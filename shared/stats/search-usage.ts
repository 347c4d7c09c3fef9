// The hook search routes call with the parameter names a search used. Counting must never fail or
// noticeably slow a search: it runs alongside the search, not before it, and its errors are logged and
// swallowed.
import type { Logger } from "../log.ts";
import type { StatsStore } from "./ledger.ts";

export interface SearchUsageDeps {
  log: Logger;
  downloads?: { stats: StatsStore } | undefined;
}

/**
 * How long a search whose answer is ready still waits for its count. Lambda freezes whatever runs after
 * the response (it resumes, or is lost, with the next invocation), so the count is awaited within the
 * request; started with the search, it has nearly always landed by then. The bound keeps a slow write
 * (a throttled shard the SDK retries) from holding up the answer: such a count finishes in the background.
 */
export const COUNT_WAIT_MS = 100;

export interface SearchCount {
  /** Resolves once the count is written, failed (logged), or COUNT_WAIT_MS have passed; never rejects. */
  settled(): Promise<void>;
}

/** Starts counting the names now; call `settled()` once the search's answer is computed. */
export function countSearchParams(deps: SearchUsageDeps, names: string[]): SearchCount {
  const stats = deps.downloads?.stats;
  if (!stats) return { settled: async () => {} };
  const time = new Date().toISOString();
  const written = (async () => stats.recordSearch(names, time))().catch((err: unknown) => {
    deps.log.warn("search parameters not counted", { error: String(err) });
  });
  return {
    settled: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const waited = new Promise<void>((r) => {
        timer = setTimeout(r, COUNT_WAIT_MS);
      });
      await Promise.race([written, waited]);
      clearTimeout(timer);
    },
  };
}
