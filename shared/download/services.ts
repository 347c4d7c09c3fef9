// What downloads need beyond the catalogue: ranged reads of products, the member cache, leases, stats.
import { DOWNLOAD_DEFAULTS } from "../config.ts";
import type { StatsStore } from "../stats/ledger.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import type { AsyncExtraction } from "./accept-extraction.ts";
import type { DownloadCache } from "./download-cache.ts";
import type { LeaseStore } from "./leases.ts";

export interface DownloadSettings {
  /** Transfers a user may run at once (DHuS: 4). */
  concurrentLimit: number;
  /**
   * The fastest rate expected of one transfer, in bytes per second: a download holds its slot for
   * `size / leaseBytesPerSecond` (shared/download/leases.ts). Higher frees slots sooner.
   */
  leaseBytesPerSecond: number;
  /** Members up to this size are answered directly by the function instead of through the cache. */
  inlineMaxBytes: number;
  /** Larger members not yet cached are extracted in the background: the request answers 202. */
  syncExtractMaxBytes: number;
}

export interface DownloadServices {
  objects(bucket: string): ObjectStore;
  cache: DownloadCache;
  leases: LeaseStore;
  stats: StatsStore;
  settings: DownloadSettings;
  /** Background extraction; without it every member is extracted within the request. */
  extraction?: AsyncExtraction | undefined;
  now?: () => number;
}

/** The deployed function's defaults (shared/config.ts), for compositions without configuration. */
export const DEFAULT_DOWNLOAD_SETTINGS: DownloadSettings = { ...DOWNLOAD_DEFAULTS };
