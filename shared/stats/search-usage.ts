// The hook search routes call with the parameter names a search used. Counting must never fail or
// noticeably slow a search: errors are logged and swallowed.
import type { Logger } from "../log.ts";
import type { StatsStore } from "./ledger.ts";

export interface SearchUsageDeps {
  log: Logger;
  downloads?: { stats: StatsStore } | undefined;
}

export async function recordSearchParams(deps: SearchUsageDeps, names: string[]): Promise<void> {
  const stats = deps.downloads?.stats;
  if (!stats) return;
  try {
    await stats.recordSearch(names, new Date().toISOString());
  } catch (err) {
    deps.log.warn("search parameters not counted", { error: String(err) });
  }
}
