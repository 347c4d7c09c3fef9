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

  /** Adds itself to the client's middleware (every command the client sends passes through it). */
  constructor(doc: DynamoDBDocumentClient) {
    doc.middlewareStack.add(
      (next, context) => async (args) => {
        const into = this.requests;
        if (!into) return next(args);
        const r: TimedRequest = {
          command: context.commandName ?? "?",
          start: performance.now(),
          end: Infinity,
        };
        into.push(r);
        try {
          return await next(args);
        } finally {
          r.end = performance.now();
        }
      },
      { step: "initialize", name: "requestTimeline" },
    );
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
