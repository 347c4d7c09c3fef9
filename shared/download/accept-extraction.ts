// The 202 answer for a member too large to extract within an API request: starts the job unless a live
// marker shows one running, and tells the client when to ask again (Retry-After, estimated from size).
import { type HttpResponse, json } from "../http/types.ts";
import type { ExtractJob, Extractor } from "./extraction.ts";
import type { ExtractionMarkers } from "./extraction-markers.ts";

/** Conservative throughput of ranged reads + inflate + multipart upload in one Lambda function. */
export const ESTIMATED_BYTES_PER_SECOND = 40 * 1024 * 1024;
const MIN_RETRY_SECONDS = 2;
const MAX_RETRY_SECONDS = 600;

export interface AsyncExtraction {
  extractor: Extractor;
  markers: ExtractionMarkers;
}

/** Seconds until a job on `size` bytes started at `startedAt` should be done. */
export function retryAfterSeconds(size: number, startedAt: number, nowMs: number): number {
  const total = size / ESTIMATED_BYTES_PER_SECOND;
  const left = Math.ceil(total - Math.max(0, nowMs - startedAt) / 1000);
  return Math.min(MAX_RETRY_SECONDS, Math.max(MIN_RETRY_SECONDS, left));
}

export async function acceptExtraction(
  x: AsyncExtraction,
  job: ExtractJob,
  filename: string,
  nowMs: number,
): Promise<HttpResponse> {
  const claim = await x.markers.claim(job.cacheKey, nowMs);
  if (claim.started) {
    try {
      await x.extractor.start(job);
    } catch (e) {
      // Let the next request try again at once rather than after the stale period.
      await x.markers.fail(job.cacheKey, nowMs).catch(() => {});
      throw e;
    }
  }
  const seconds = retryAfterSeconds(job.member.size, claim.started ? nowMs : claim.startedAt, nowMs);
  return json(
    202,
    {
      code: "Accepted",
      description: `'${filename}' (${job.member.size} bytes) is being prepared for download; retry in ${seconds} s (this URL answers 302 when it is ready)`,
    },
    { "retry-after": String(seconds), "cache-control": "no-store" },
  );
}
