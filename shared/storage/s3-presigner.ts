// Presigned URLs with SigV4: a GET carries its expiry and the file name the browser saves; a PUT its
// expiry and its key, nothing else.
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Presigner, PresignOptions } from "./presigner.ts";

export class S3Presigner implements Presigner {
  constructor(private readonly s3: S3Client) {}

  presignGet(bucket: string, key: string, opts: PresignOptions): Promise<string> {
    const safeName = opts.filename?.replace(/["\\\r\n]/g, "_");
    const cmd = new GetObjectCommand({
      Bucket: bucket,
      Key: key,
      ...(safeName
        ? { ResponseContentDisposition: `${opts.disposition ?? "attachment"}; filename="${safeName}"` }
        : {}),
      ...(opts.contentType ? { ResponseContentType: opts.contentType } : {}),
    });
    return getSignedUrl(this.s3, cmd, { expiresIn: opts.expiresIn });
  }

  presignPut(bucket: string, key: string, opts: { expiresIn: number }): Promise<string> {
    return getSignedUrl(this.s3, new PutObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: opts.expiresIn,
    });
  }
}
