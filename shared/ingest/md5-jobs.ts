// MD5 jobs: the one full read of a product whose MD5 S3 could not give (a multipart upload's ETag is not
// one), started by ingest once the product is indexed and run outside the ingest batch: on AWS by a
// function of its own (15 min timeout) invoked asynchronously, on the local stack in this process.
import { z } from "zod";

export const Md5Event = z.object({
  hexarchive: z.literal("md5"),
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** The object as it was indexed: a replaced object is not read. */
  etag: z.string().min(1),
  size: z.number().int().min(0),
  collection: z.string().min(1),
  id: z.string().min(1),
  /** The item version indexed from it (the S3 event sequencer): a newer version is never overwritten. */
  version: z.string().min(1),
});
export type Md5Event = z.infer<typeof Md5Event>;
export type Md5Job = Omit<Md5Event, "hexarchive">;

export function isMd5Event(event: unknown): event is Md5Event {
  return (event as { hexarchive?: unknown } | null)?.hexarchive === "md5";
}

/** Validates the payload (it crossed a process boundary) and returns the job it carries. */
export function parseMd5Event(event: unknown): Md5Job {
  const { hexarchive: _kind, ...job } = Md5Event.parse(event);
  return job;
}

export const toMd5Event = (job: Md5Job): Md5Event => ({ hexarchive: "md5", ...job });

/** Starts a job and returns without waiting for it; throws (retryable) when it could not be started. */
export interface Md5Jobs {
  start(job: Md5Job): Promise<void>;
}

/** Ingest's MD5 settings: the largest object read whole (0: none), and where jobs go. */
export interface Md5Settings {
  maxBytes: number;
  jobs: Md5Jobs;
}
