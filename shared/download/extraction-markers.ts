// Marks a member extraction in progress with a small object beside the cached copy, so that every API
// instance sees it: repeated requests answer 202 instead of starting the work again. A marker older than
// the stale period, or one marked failed, lets the next request restart the job. On S3 the marker is
// claimed with a conditional write (If-None-Match / If-Match), so of two racing requests one starts the
// job; emulators that ignore the condition (s3rver) rely on the in-process extractor's de-duplication.
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** An extraction not finished after this long is taken as crashed (Lambda's own limit is 15 min). */
export const STALE_AFTER_MS = 15 * 60 * 1000;

export interface Marker {
  state: "running" | "failed";
  startedAt: number;
  /** Opaque version, for a conditional overwrite. */
  version?: string | undefined;
}

export type Claim = { started: true } | { started: false; startedAt: number };

export interface ExtractionMarkers {
  read(cacheKey: string): Promise<Marker | undefined>;
  /** Takes the job over when no live marker exists. `started: false`: another request runs it. */
  claim(cacheKey: string, nowMs: number): Promise<Claim>;
  fail(cacheKey: string, nowMs: number): Promise<void>;
}

function parseMarker(text: string): Partial<Marker> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" ? (v as Partial<Marker>) : undefined;
  } catch {
    return undefined;
  }
}

/** Beside the cached copy, where the function may already write (the cache prefix). */
export const markerKey = (cacheKey: string) => `${cacheKey}.pending`;

export const isLive = (m: Marker, nowMs: number) =>
  m.state === "running" && nowMs - m.startedAt < STALE_AFTER_MS;

export class S3ExtractionMarkers implements ExtractionMarkers {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async read(cacheKey: string): Promise<Marker | undefined> {
    try {
      const got = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: markerKey(cacheKey) }));
      const body = parseMarker((await got.Body?.transformToString()) ?? "");
      if (!body) {
        // Unreadable: a marker being written (an emulator serves a write in progress; S3 never does).
        // Another request is claiming the job: running since it was written, stale after the usual period.
        return { state: "running", startedAt: got.LastModified?.getTime() ?? 0, version: got.ETag };
      }
      return {
        state: body.state === "running" ? "running" : "failed",
        startedAt: typeof body.startedAt === "number" ? body.startedAt : 0,
        version: got.ETag,
      };
    } catch (e) {
      const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (x.name === "NoSuchKey" || x.$metadata?.httpStatusCode === 404) return undefined;
      throw e;
    }
  }

  async claim(cacheKey: string, nowMs: number): Promise<Claim> {
    const current = await this.read(cacheKey);
    if (current && isLive(current, nowMs)) return { started: false, startedAt: current.startedAt };
    try {
      await this.put(
        cacheKey,
        { state: "running", startedAt: nowMs },
        current?.version ? { IfMatch: current.version } : { IfNoneMatch: "*" },
      );
      return { started: true };
    } catch (e) {
      const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      const status = x.$metadata?.httpStatusCode;
      // 412: another request claimed it first; 409: a concurrent conditional write to the same key.
      if (status === 412 || status === 409 || x.name === "PreconditionFailed")
        return { started: false, startedAt: nowMs };
      throw e;
    }
  }

  async fail(cacheKey: string, nowMs: number): Promise<void> {
    await this.put(cacheKey, { state: "failed", startedAt: nowMs }, {});
  }

  private async put(
    cacheKey: string,
    marker: Omit<Marker, "version">,
    condition: { IfMatch?: string; IfNoneMatch?: string },
  ): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: markerKey(cacheKey),
        Body: JSON.stringify(marker),
        ContentType: "application/json",
        ...condition,
      }),
    );
  }
}
