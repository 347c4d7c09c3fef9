// A background job as it is stored and shown: an export of a search or an import of an NDJSON object,
// its owner, its status, what it has done so far and where it stopped (its checkpoint).

export type JobKind = "export" | "import";
export type JobStatus = "queued" | "running" | "succeeded" | "failed";

/** A line an import could not write, and why; the import goes on past it. */
export interface BadLine {
  line: number;
  reason: string;
}

/** What an export runs: the search as authorized when the job was created (../jobs/export-job.ts). */
export interface ExportSpec {
  /** The search body without limit, token and fields; `collections` is the authorized set, if any. */
  search: Record<string, unknown>;
  format: string;
  /** The API's base URL the export's links are written with (the creator's). */
  baseUrl: string;
}

/** What an import reads: one object, confined to an allowed bucket and prefix (../jobs/import-source.ts). */
export interface ImportSpec {
  bucket: string;
  key: string;
  baseUrl: string;
}

/** Where the result of a finished export is. */
export interface JobResult {
  bucket: string;
  key: string;
  contentType: string;
  filename: string;
  bytes: number;
}

export interface Job {
  id: string;
  kind: JobKind;
  owner: string;
  created: string;
  updated: string;
  status: JobStatus;
  /**
   * Which invocation holds the job: each continuation is sent with the next number, and a checkpoint is
   * saved only while the record still carries the number its invocation was sent with, so a duplicate
   * or late invocation (Lambda's retries) finds a different one and stops.
   */
  run: number;
  spec: ExportSpec | ImportSpec;
  /** The kind's own progress (JSON), from which counts and bad lines are read. */
  checkpoint?: unknown;
  counts: Record<string, number>;
  badLines?: BadLine[];
  error?: string;
  result?: JobResult;
}

/** The asynchronous invocation that runs (or continues) a job. */
export interface JobEvent {
  "hexarchive-job": { id: string; run: number };
}

export const jobEvent = (id: string, run: number): JobEvent => ({ "hexarchive-job": { id, run } });

export function isJobEvent(e: unknown): e is JobEvent {
  const j = (e as Record<string, unknown> | null)?.["hexarchive-job"] as Record<string, unknown> | undefined;
  return typeof j === "object" && j !== null && typeof j["id"] === "string" && Number.isInteger(j["run"]);
}

export function parseJobEvent(e: unknown): { id: string; run: number } {
  if (!isJobEvent(e)) throw new Error("not a job event");
  return e["hexarchive-job"];
}

export const isFinished = (j: Job) => j.status === "succeeded" || j.status === "failed";
