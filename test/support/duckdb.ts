// DuckDB (a dev dependency) as an independent reader of the Parquet files the project writes. Where it
// does not load, `duck` is undefined, this says why once, and the tests that need it skip.
type Duck = typeof import("@duckdb/node-api");

export const duck: Duck | undefined = await import("@duckdb/node-api").catch((e: Error) => {
  console.warn(`DuckDB checks skipped: @duckdb/node-api does not load here (${e.message})`);
  return undefined;
});

/** The rows of one SQL statement, run in a fresh in-memory database (name files with read_parquet). */
export async function duckRead(sql: string): Promise<Record<string, unknown>[]> {
  const db = await duck!.DuckDBInstance.create(":memory:");
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    c.closeSync();
  }
}
