// Port for the products bucket: what readers, ingest and downloads need from S3, and nothing more.

export interface ObjectInfo {
  key: string;
  size: number;
  etag?: string;
  lastModified?: Date;
  versionId?: string;
  contentType?: string;
  /**
   * Additional checksums S3 holds for the object, base64 as S3 reports them; a COMPOSITE value (a
   * checksum of part checksums) keeps S3's "-<parts>" suffix.
   */
  checksums?: { sha256?: string; crc32?: string; crc32c?: string; crc64nvme?: string; sha1?: string };
  /** How `checksums` covers the object (S3's ChecksumType); absent when S3 did not say. */
  checksumType?: "FULL_OBJECT" | "COMPOSITE";
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

/** A store that can also stream a whole object, for the one full read that computes a product's MD5. */
export interface StreamingObjectStore extends ObjectStore {
  /**
   * The object's bytes in order, in chunks, while its ETag is still `etag`; undefined when the object is
   * gone or has been replaced. Memory stays flat: nothing is buffered beyond the chunk in hand.
   */
  openStream(key: string, etag: string): Promise<AsyncIterable<Uint8Array> | undefined>;
}

/** Removes objects of the products bucket: only deletions with a tombstone do (shared/lifecycle/). */
export interface ObjectRemover {
  readonly bucket: string;
  /** Removing an object that is not there succeeds (S3's own answer). */
  deleteObject(key: string): Promise<void>;
  list(prefix: string): Promise<ObjectInfo[]>;
}
