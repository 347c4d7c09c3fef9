// Port for the products bucket: what readers, ingest and downloads need from S3, and nothing more.

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  versionId?: string;
  contentType?: string;
  /** Checksums S3 already holds for the whole object (base64, as S3 reports them), if any. */
  checksums?: { sha256?: string; crc32?: string; crc32c?: string; crc64nvme?: string; sha1?: string };
}

export interface ObjectStore {
  readonly bucket: string;
  /** undefined when the object does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Bytes [start, end) of the object. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array>;
  getObject(key: string): Promise<Uint8Array>;
  /** All keys under a prefix (paged internally). */
  list(prefix: string): Promise<ObjectInfo[]>;
  putObject(key: string, body: Uint8Array | string, contentType?: string): Promise<void>;
}
