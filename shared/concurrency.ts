// Bounded concurrency for independent async work (DynamoDB requests, search streams).

/** Runs `f` on every element, at most `n` at a time. */
export async function mapLimited<T>(xs: T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(n, xs.length) }, async () => {
    while (next < xs.length) await f(xs[next++]!);
  });
  await Promise.all(workers);
}
