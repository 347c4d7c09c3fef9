// A result written in parts that outlive the invocation that wrote them: S3 multipart uploads, whose
// upload id and part ETags are kept in the job's checkpoint, so a continuation adds parts and never
// writes one again. Every part but the last must hold at least 5 MiB on S3.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

export interface UploadedPart {
  n: number;
  etag: string;
}

export interface PartUploads {
  readonly bucket: string;
  begin(key: string, contentType: string): Promise<string>;
  part(key: string, uploadId: string, n: number, body: Uint8Array): Promise<UploadedPart>;
  /** Completes the object from its parts; with none, writes it empty. */
  complete(key: string, uploadId: string, parts: UploadedPart[], contentType: string): Promise<void>;
  abort(key: string, uploadId: string): Promise<void>;
  /** A stored object's bytes from byte `from` on, streamed (an intermediate result a format converts). */
  read(key: string, from?: number): AsyncIterable<Uint8Array>;
  /** Stores a small intermediate object whole (what a conversion keeps between its steps). */
  write(key: string, body: Uint8Array | string): Promise<void>;
  remove(key: string): Promise<void>;
}

/** S3's smallest part but the last. */
export const MIN_PART_BYTES = 5 * 2 ** 20;

export class S3PartUploads implements PartUploads {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  async begin(key: string, contentType: string): Promise<string> {
    const out = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    return out.UploadId!;
  }

  async part(key: string, uploadId: string, n: number, body: Uint8Array): Promise<UploadedPart> {
    const out = await this.s3.send(
      new UploadPartCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumber: n, Body: body }),
    );
    return { n, etag: out.ETag! };
  }

  async complete(key: string, uploadId: string, parts: UploadedPart[], contentType: string): Promise<void> {
    if (parts.length === 0) {
      await this.abort(key, uploadId);
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: new Uint8Array(0),
          ContentType: contentType,
        }),
      );
      return;
    }
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.n, ETag: p.etag })) },
      }),
    );
  }

  async abort(key: string, uploadId: string): Promise<void> {
    await this.s3.send(
      new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }),
    );
  }

  async *read(key: string, from = 0): AsyncIterable<Uint8Array> {
    const out = await this.s3.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(from > 0 ? { Range: `bytes=${from}-` } : {}),
      }),
    );
    yield* out.Body as AsyncIterable<Uint8Array>;
  }

  async write(key: string, body: Uint8Array | string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body }));
  }

  async remove(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
