// S3 adapter of the ObjectStore port.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { TransientError } from "../errors.ts";
import type { ObjectInfo, ObjectRemover, StreamingObjectStore } from "./object-store.ts";

const notFound = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x.name === "NotFound" || x.name === "NoSuchKey" || x.$metadata?.httpStatusCode === 404;
};

/** Throttling, timeouts and 5xx pass; a missing object or denied access do not. */
function rethrow(e: unknown, what: string): never {
  const x = e as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; name?: string };
  const status = x.$metadata?.httpStatusCode ?? 0;
  if (x.$retryable || status >= 500 || status === 0 || status === 429)
    throw new TransientError(`${what}: ${x.name ?? String(e)}`, { cause: e });
  throw e;
}

const stripQuotes = (etag?: string) => etag?.replace(/^"|"$/g, "");

const preconditionFailed = (e: unknown) => {
  const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return x.name === "PreconditionFailed" || x.$metadata?.httpStatusCode === 412;
};

export class S3ObjectStore implements StreamingObjectStore, ObjectRemover {
  requests = 0;
  bytesRead = 0;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.requests++;
    try {
      const h = await this.s3.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: "ENABLED" }),
      );
      const info: ObjectInfo = { key, size: h.ContentLength ?? 0 };
      const etag = stripQuotes(h.ETag);
      if (etag) info.etag = etag;
      if (h.LastModified) info.lastModified = h.LastModified;
      if (h.VersionId) info.versionId = h.VersionId;
      if (h.ContentType) info.contentType = h.ContentType;
      const checksums: NonNullable<ObjectInfo["checksums"]> = {};
      if (h.ChecksumSHA256) checksums.sha256 = h.ChecksumSHA256;
      if (h.ChecksumCRC32) checksums.crc32 = h.ChecksumCRC32;
      if (h.ChecksumCRC32C) checksums.crc32c = h.ChecksumCRC32C;
      if (h.ChecksumCRC64NVME) checksums.crc64nvme = h.ChecksumCRC64NVME;
      if (h.ChecksumSHA1) checksums.sha1 = h.ChecksumSHA1;
      if (Object.keys(checksums).length > 0) info.checksums = checksums;
      if (h.ChecksumType === "FULL_OBJECT" || h.ChecksumType === "COMPOSITE")
        info.checksumType = h.ChecksumType;
      return info;
    } catch (e) {
      if (notFound(e)) return undefined;
      rethrow(e, `HEAD ${key}`);
    }
  }

  async getRange(key: string, start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    this.requests++;
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=${start}-${end - 1}` }),
      );
      const bytes = await out.Body!.transformToByteArray();
      this.bytesRead += bytes.length;
      return bytes;
    } catch (e) {
      rethrow(e, `GET ${key} bytes ${start}-${end - 1}`);
    }
  }

  async getObject(key: string): Promise<Uint8Array> {
    this.requests++;
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const bytes = await out.Body!.transformToByteArray();
      this.bytesRead += bytes.length;
      return bytes;
    } catch (e) {
      rethrow(e, `GET ${key}`);
    }
  }

  async openStream(key: string, etag: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    this.requests++;
    let out: GetObjectCommandOutput;
    try {
      // If-Match makes S3 refuse a replaced object; a started GET then streams that one version throughout.
      out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, IfMatch: `"${etag}"` }));
    } catch (e) {
      if (notFound(e) || preconditionFailed(e)) return undefined;
      rethrow(e, `GET ${key}`);
    }
    const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    // Emulators ignore If-Match: the ETag of what is actually being sent decides.
    if (!body || stripQuotes(out.ETag) !== etag) {
      body?.destroy?.();
      return undefined;
    }
    return this.counted(body, key);
  }

  private async *counted(body: AsyncIterable<Uint8Array>, key: string): AsyncIterable<Uint8Array> {
    try {
      for await (const chunk of body) {
        this.bytesRead += chunk.length;
        yield chunk;
      }
    } catch (e) {
      rethrow(e, `GET ${key} (reading)`);
    }
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const all: ObjectInfo[] = [];
    for await (const page of this.listPages(prefix)) all.push(...page);
    return all;
  }

  /** The keys under a prefix one ListObjectsV2 page (up to 1,000 keys) at a time, in key order. */
  async *listPages(prefix = ""): AsyncIterable<ObjectInfo[]> {
    let token: string | undefined;
    do {
      this.requests++;
      const out = await this.s3
        .send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }))
        .catch((e) => rethrow(e, `LIST ${prefix}`));
      yield (out.Contents ?? []).map((o) => {
        const info: ObjectInfo = { key: o.Key!, size: o.Size ?? 0 };
        const etag = stripQuotes(o.ETag);
        if (etag) info.etag = etag;
        if (o.LastModified) info.lastModified = o.LastModified;
        return info;
      });
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
  }

  async putObject(key: string, body: Uint8Array | string, contentType?: string): Promise<void> {
    this.requests++;
    await this.s3
      .send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }))
      .catch((e) => rethrow(e, `PUT ${key}`));
  }

  /** One DeleteObject per key (S3 sends an ObjectRemoved event for each; s3rver none for DeleteObjects). */
  async deleteObject(key: string): Promise<void> {
    this.requests++;
    await this.s3
      .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }))
      .catch((e) => rethrow(e, `DELETE ${key}`));
  }
}
