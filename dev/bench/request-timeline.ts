// When each DynamoDB request of a piece of work started and ended, and from that its sequential rounds:
// the longest chain of requests each sent after the previous one's answer (the critical path a
// search's latency is made of, whatever its own bookkeeping says). For the bench and the search tests.
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface TimedRequest {
  command: string;
  start: number;
  end: number;
}

/** The longest chain of requests each started at or after the previous one ended. */
export function sequentialRounds(requests: TimedRequest[]): number {
  const sorted = [...requests].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let longest = 0;
  for (const [i, r] of sorted.entries()) {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= r.start) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
    longest = Math.max(longest, d);
  }
  return longest;
}

export class RequestTimeline {
  private requests: TimedRequest[] | undefined;

  /**
   * Wraps the client's `send`: every command passes through it, whether the SDK's middleware sends it
   * or the reads that bypass it (shared/storage/lean-reads.ts).
   */
  constructor(doc: DynamoDBDocumentClient) {
    const send = doc.send.bind(doc) as (...args: unknown[]) => Promise<unknown>;
    doc.send = ((command: object, ...rest: unknown[]) => {
      const into = this.requests;
      if (!into) return send(command, ...rest);
      const r: TimedRequest = { command: command.constructor.name, start: performance.now(), end: Infinity };
      into.push(r);
      return send(command, ...rest).finally(() => {
        r.end = performance.now();
      });
    }) as typeof doc.send;
  }

  /** Runs `work`, returning its result with the requests it sent and their sequential rounds. */
  async record<T>(work: () => Promise<T>): Promise<{ result: T; requests: TimedRequest[]; rounds: number }> {
    const requests: TimedRequest[] = [];
    this.requests = requests;
    try {
      const result = await work();
      return { result, requests, rounds: sequentialRounds(requests) };
    } finally {
      this.requests = undefined;
    }
  }
}
