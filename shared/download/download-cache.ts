// Where extracted members are kept so that they can be served by presigned URL: a bucket (on AWS a
// separate one whose lifecycle rule expires copies after a few days; locally a second s3rver bucket).
// Bodies arrive as a stream and leave as 8 MiB multipart parts, so memory stays flat for any size.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

export interface DownloadCache {
  readonly bucket: string;
  has(key: string): Promise<boolean>;
  write(key: string, chunks: AsyncIterable<Uint8Array>, contentType: string): Promise<number>;
}

/** S3's smallest part (except the last) is 5 MiB. */
export const PART_BYTES = 8 * 1024 * 1024;

export class S3DownloadCache implements DownloadCache {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    private readonly partBytes = PART_BYTES,
  ) {}

  async has(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (e) {
      const x = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (x.name === "NotFound" || x.$metadata?.httpStatusCode === 404) return false;
      throw e;
    }
  }

  /** Returns the bytes written. A failed upload is aborted, leaving no partial object. */
  async write(key: string, chunks: AsyncIterable<Uint8Array>, contentType: string): Promise<number> {
    const Bucket = this.bucket;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let total = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const flush = async () => {
      const body = Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      if (!uploadId) {
        const created = await this.s3.send(
          new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: contentType }),
        );
        uploadId = created.UploadId!;
      }
      const PartNumber = parts.length + 1;
      const up = await this.s3.send(
        new UploadPartCommand({ Bucket, Key: key, UploadId: uploadId, PartNumber, Body: body }),
      );
      parts.push({ ETag: up.ETag!, PartNumber });
    };
    try {
      for await (const c of chunks) {
        pending.push(c);
        pendingBytes += c.length;
        total += c.length;
        if (pendingBytes >= this.partBytes) await flush();
      }
      if (!uploadId) {
        await this.s3.send(
          new PutObjectCommand({ Bucket, Key: key, Body: Buffer.concat(pending), ContentType: contentType }),
        );
        return total;
      }
      if (pendingBytes > 0) await flush();
      await this.s3.send(
        new CompleteMultipartUploadCommand({
          Bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts },
        }),
      );
      return total;
    } catch (err) {
      if (uploadId)
        await this.s3
          .send(new AbortMultipartUploadCommand({ Bucket, Key: key, UploadId: uploadId }))
          .catch(() => {});
      throw err;
    }
  }
}
