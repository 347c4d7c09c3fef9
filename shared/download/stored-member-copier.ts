// Server-side extraction of stored (uncompressed) members: S3 UploadPartCopy with CopySourceRange copies
// the member's byte range from the product into the cache, so no byte passes through the function
// (Sentinel-1 measurement TIFFs are stored, ~1.6 GB each). Compressed members still need the streaming
// path. The copy checks no CRC-32 (S3 copies bytes verbatim); emulators lack UploadPartCopy, so the
// local stack leaves this off and the extraction falls back to streaming if the copy fails.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import type { ObjectStore } from "../storage/object-store.ts";
import { METHOD_STORED } from "../zip/zip-format.ts";
import { type MemberLocation, zipDataStart } from "./member-stream.ts";

/** Parts of 256 MiB: a 1.6 GB member in 7 requests, each far below UploadPartCopy's 5 GiB limit. */
export const COPY_PART_BYTES = 256 * 1024 * 1024;

export interface StoredMemberCopier {
  /** Copies the member if it is stored as it is; `false` when it is not (stream it instead). */
  copy(
    store: ObjectStore,
    key: string,
    member: MemberLocation,
    cacheKey: string,
    contentType: string,
    etag?: string,
  ): Promise<boolean>;
}

const copySource = (bucket: string, key: string) =>
  `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

export class S3PartCopier implements StoredMemberCopier {
  constructor(
    private readonly s3: S3Client,
    private readonly cacheBucket: string,
    private readonly partBytes = COPY_PART_BYTES,
  ) {}

  async copy(
    store: ObjectStore,
    key: string,
    member: MemberLocation,
    cacheKey: string,
    contentType: string,
    etag?: string,
  ): Promise<boolean> {
    if (member.size === 0) return false;
    if (member.kind === "zip") {
      const plain = member.method === METHOD_STORED && !((member.flags ?? 0) & 1);
      if (!plain || member.compressedSize !== member.size) return false;
    }
    const start = member.kind === "zip" ? await zipDataStart(store, key, member) : member.dataOffset;
    const Bucket = this.cacheBucket;
    const created = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket, Key: cacheKey, ContentType: contentType }),
    );
    const UploadId = created.UploadId!;
    try {
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let p = 0; p < member.size; p += this.partBytes) {
        const last = Math.min(member.size, p + this.partBytes) - 1;
        const PartNumber = parts.length + 1;
        const out = await this.s3.send(
          new UploadPartCopyCommand({
            Bucket,
            Key: cacheKey,
            UploadId,
            PartNumber,
            CopySource: copySource(store.bucket, key),
            CopySourceRange: `bytes=${start + p}-${start + last}`,
            // The cache key names one product version: never copy from a newer one.
            ...(etag ? { CopySourceIfMatch: etag } : {}),
          }),
        );
        parts.push({ ETag: out.CopyPartResult!.ETag!, PartNumber });
      }
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: cacheKey,
          UploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return true;
    } catch (e) {
      await this.s3
        .send(new AbortMultipartUploadCommand({ Bucket, Key: cacheKey, UploadId }))
        .catch(() => {});
      throw e;
    }
  }
}
