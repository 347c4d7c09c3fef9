// The presigned-URL port: short-lived GET URLs for objects, and PUT URLs for the few uploads the API hands
// out (S3Presigner on AWS and on the local stack).

export interface PresignOptions {
  expiresIn: number;
  /** The file name the browser saves (Content-Disposition). */
  filename?: string;
  disposition?: "inline" | "attachment";
  contentType?: string;
}

export interface Presigner {
  /** A short-lived GET URL for an object. */
  presignGet(bucket: string, key: string, opts: PresignOptions): Promise<string>;
  /** A short-lived PUT URL for one object (an operator's import file). */
  presignPut(bucket: string, key: string, opts: { expiresIn: number }): Promise<string>;
}
