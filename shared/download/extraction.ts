// Extraction of a member too large to finish inside an API request (API Gateway waits 30 s; a Sentinel-1
// measurement TIFF is ~1.6 GB): the request answers 202 and hands an `ExtractJob` to an `Extractor`,
// which runs `extractMember` elsewhere (an asynchronous Lambda invocation on AWS, a background promise on
// the local stack). Clients poll the same URL until it answers 302 to the cached copy.
import { z } from "zod";
import type { Logger } from "../log.ts";
import type { ObjectStore } from "../storage/object-store.ts";
import type { DownloadCache } from "./download-cache.ts";
import type { ExtractionMarkers } from "./extraction-markers.ts";
import { type MemberLocation, memberChunks } from "./member-stream.ts";
import type { StoredMemberCopier } from "./stored-member-copier.ts";

const Member = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("zip"),
    path: z.string().min(1),
    localHeaderOffset: z.number().int().min(0),
    compressedSize: z.number().int().min(0),
    size: z.number().int().min(0),
    method: z.number().int(),
    crc32: z.number().int(),
    flags: z.number().int().optional(),
  }),
  z.object({
    kind: z.literal("tar"),
    path: z.string().min(1),
    dataOffset: z.number().int().min(0),
    size: z.number().int().min(0),
  }),
]);

/** The payload of an asynchronous self-invocation; the API handler tells it from API Gateway events. */
export const ExtractEvent = z.object({
  hexarchive: z.literal("extract"),
  bucket: z.string().min(1),
  key: z.string().min(1),
  /** The product version the cache key was derived from; a product replaced since is not extracted. */
  etag: z.string(),
  member: Member,
  cacheKey: z.string().min(1),
  contentType: z.string().min(1),
});
export type ExtractEvent = z.infer<typeof ExtractEvent>;
export type ExtractJob = Omit<ExtractEvent, "hexarchive" | "member"> & { member: MemberLocation };

export function isExtractEvent(event: unknown): event is ExtractEvent {
  return (event as { hexarchive?: unknown } | null)?.hexarchive === "extract";
}

/** Validates the payload (it crossed a process boundary) and returns the job it carries. */
export function parseExtractEvent(event: unknown): ExtractJob {
  const { hexarchive: _kind, member, ...job } = ExtractEvent.parse(event);
  if (member.kind === "tar") return { ...job, member };
  const { flags, ...zip } = member;
  return { ...job, member: flags === undefined ? zip : { ...zip, flags } };
}

/** Starts an extraction and returns without waiting for it. */
export interface Extractor {
  start(job: ExtractJob): Promise<void>;
}

export interface ExtractionDeps {
  objects(bucket: string): ObjectStore;
  cache: DownloadCache;
  markers: ExtractionMarkers;
  /** Server-side copy of stored members (S3 UploadPartCopy); without it every member is streamed. */
  copier?: StoredMemberCopier | undefined;
  log: Logger;
  now?: () => number;
}

/**
 * Extracts one member into the cache. Never throws: a failure is logged and marked on the job's marker,
 * so that the next request starts it again (the cache writes abort their multipart uploads, so no
 * partial object is left). Lambda would otherwise retry a corrupt product twice on its own.
 */
export async function extractMember(deps: ExtractionDeps, job: ExtractJob): Promise<"done" | "failed"> {
  const started = deps.now?.() ?? Date.now();
  const fields = { bucket: job.bucket, key: job.key, member: job.member.path, cacheKey: job.cacheKey };
  try {
    if (await deps.cache.has(job.cacheKey)) return "done";
    const store = deps.objects(job.bucket);
    const info = await store.head(job.key);
    if (!info || (info.etag ?? String(info.size)) !== job.etag)
      throw new Error("the product changed or disappeared since the extraction was requested");
    let copied = false;
    if (deps.copier) {
      copied = await deps.copier
        .copy(store, job.key, job.member, job.cacheKey, job.contentType, info.etag)
        .catch((e) => {
          deps.log.warn("server-side copy failed; streaming instead", { ...fields, error: String(e) });
          return false;
        });
    }
    if (!copied)
      await deps.cache.write(job.cacheKey, memberChunks(store, job.key, job.member), job.contentType);
    deps.log.info("member extracted", { ...fields, size: job.member.size, copied, ms: Date.now() - started });
    return "done";
  } catch (e) {
    deps.log.error("member extraction failed", { ...fields, error: String(e) });
    await deps.markers.fail(job.cacheKey, deps.now?.() ?? Date.now()).catch((err) => {
      // The marker then goes stale and the job is restarted after the stale period instead.
      deps.log.error("could not mark the extraction as failed", { ...fields, error: String(err) });
    });
    return "failed";
  }
}
