// The chunk loop every long job shares: steps from a checkpoint, each durable once it returns, until the
// work is done or the invocation's time runs low; then it hands back where to continue. At least one
// step runs per call, so a job always advances, however short the time left.

export interface Step<C> {
  checkpoint: C;
  done: boolean;
  /** The next step needs a whole invocation (one long step): continue in a new one before it. */
  fresh?: boolean;
}

export interface ChunkClock {
  /** Milliseconds this invocation has left (Lambda: context.getRemainingTimeInMillis()). */
  remainingMs(): number;
}

/** Never runs out: the local stack, where a job runs in the process that serves the API. */
export const UNLIMITED_TIME: ChunkClock = { remainingMs: () => Number.POSITIVE_INFINITY };

export interface ChunkOptions<C> {
  clock: ChunkClock;
  /** Stop when less than this is left: the longest step plus saving the checkpoint and re-invoking. */
  reserveMs: number;
  /** Called after every step but the last (saves progress); false: the job was taken over, stop. */
  saved(checkpoint: C): Promise<boolean>;
}

export type ChunkOutcome<C> =
  | { kind: "done"; checkpoint: C }
  | { kind: "continue"; checkpoint: C }
  | { kind: "lost"; checkpoint: C };

export async function runChunks<C>(
  start: C,
  step: (c: C) => Promise<Step<C>>,
  o: ChunkOptions<C>,
): Promise<ChunkOutcome<C>> {
  let c = start;
  for (;;) {
    const r = await step(c);
    c = r.checkpoint;
    if (r.done) return { kind: "done", checkpoint: c };
    if (!(await o.saved(c))) return { kind: "lost", checkpoint: c };
    if (r.fresh || o.clock.remainingMs() < o.reserveMs) return { kind: "continue", checkpoint: c };
  }
}
