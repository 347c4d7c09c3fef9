// Per-run limits on relays: how many copies are in flight at once across every relay subscription, and
// how many bytes one run may copy (the rest waits for the next run), so that a burst of large products
// neither saturates the link nor outlives the run.

export interface RelayLimits {
  /** Copies in flight at once, over all relay subscriptions of a run. */
  concurrency: number;
  /** Bytes one run may copy; a product that would pass it waits for the next run. */
  bytesPerRun: number;
}

export const DEFAULT_RELAY_LIMITS: RelayLimits = { concurrency: 4, bytesPerRun: 20 * 2 ** 30 };

/** One run's budget and copy slots. */
export class RelayRun {
  bytes = 0;
  products = 0;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limits: RelayLimits) {}

  /**
   * Reserves one product's bytes; false when the run's budget cannot hold them. The first product of a
   * run is always admitted, so one larger than the whole budget still moves (alone in its run).
   */
  admit(size: number): boolean {
    if (this.products > 0 && this.bytes + size > this.limits.bytesPerRun) return false;
    this.bytes += size;
    this.products++;
    return true;
  }

  /** Runs `f` once fewer than `concurrency` copies are in flight. */
  async slot<T>(f: () => Promise<T>): Promise<T> {
    while (this.inFlight >= this.limits.concurrency) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    try {
      return await f();
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }
}
