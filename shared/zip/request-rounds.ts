// Counts requests, bytes and sequential rounds of ranged reads, for tests and the ingest benchmark.
// A request's round is one more than the highest round among the requests that had finished when it was
// issued: requests issued together share a round, a request issued after another finished (it may
// depend on it) starts a new one. With every request taking one latency, rounds × latency is the time.
import type { RangeReader } from "./range-reader.ts";

export interface RoundStats {
  requests: number;
  bytes: number;
  rounds: number;
}

export class RoundTracker {
  readonly stats: RoundStats = { requests: 0, bytes: 0, rounds: 0 };
  private finished = 0;

  /** Wraps one request: counts it and places it in its round. */
  async track(request: () => Promise<Uint8Array>): Promise<Uint8Array> {
    const round = this.finished + 1;
    this.stats.requests += 1;
    this.stats.rounds = Math.max(this.stats.rounds, round);
    const bytes = await request();
    this.stats.bytes += bytes.length;
    this.finished = Math.max(this.finished, round);
    return bytes;
  }
}

export function roundsReader(inner: RangeReader): RangeReader & { readonly stats: RoundStats } {
  const tracker = new RoundTracker();
  return {
    size: inner.size,
    stats: tracker.stats,
    read: (start, end) => tracker.track(() => inner.read(start, end)),
  };
}
