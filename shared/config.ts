// The only place that reads process.env: every setting a function needs, validated once at cold start.
import { z } from "zod";

/** 10 GiB: a Sentinel-1 SLC product is up to ~8 GB. */
export const DEFAULT_MD5_MAX_BYTES = 10 * 1024 ** 3;

/** Download settings when unset; the local stack starts from the same (shared/download/services.ts). */
export const DOWNLOAD_DEFAULTS = {
  concurrentLimit: 4,
  // 100 MB/s: about one S3 GET stream in the same region; a sequential client is refused only above 4×.
  leaseBytesPerSecond: 100_000_000,
  inlineMaxBytes: 1024 * 1024,
  syncExtractMaxBytes: 256 * 1024 * 1024,
} as const;

const Env = z.object({
  HEXARCHIVE_TABLE: z.string().min(1),
  HEXARCHIVE_PRODUCTS_BUCKET: z.string().min(3),
  /** Lifetime of presigned download URLs, in seconds. Short by default. */
  HEXARCHIVE_PRESIGN_SECONDS: z.coerce.number().int().min(1).max(604_800).default(300),
  /** Public base URL (custom domain); otherwise links are built from the request's host and stage. */
  HEXARCHIVE_PUBLIC_URL: z.url().optional(),
  /** Path-style S3 addressing, for S3 emulators. */
  HEXARCHIVE_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  /** `true`: DynamoDB reads go through the AWS SDK's full command stack instead of lean-reads.ts. */
  HEXARCHIVE_SDK_READS: z.enum(["true", "false"]).default("false"),
  AWS_REGION: z.string().default("us-east-1"),
  /** Who may search and download (JSON, see shared/auth/access-policy.ts). */
  HEXARCHIVE_ACCESS: z.string().optional(),
  /** OIDC issuer whose tokens are accepted (Cognito: https://cognito-idp.<region>.amazonaws.com/<pool id>). */
  HEXARCHIVE_OIDC_ISSUER: z.url().optional(),
  /** Cognito app client: the tokens' audience, and the client HTTP Basic signs in through. */
  HEXARCHIVE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Bucket for files extracted from products (lifecycle-expired); without it members are not served. */
  HEXARCHIVE_CACHE_BUCKET: z.string().min(3).optional(),
  /** Key of signed links (at least 64 hex digits); without it no signed links are handed out. */
  HEXARCHIVE_SIGNING_KEY: z.string().min(1).optional(),
  /** Lifetime of signed links, in seconds. */
  HEXARCHIVE_SIGNED_LINK_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
  /** Lifetime of download lists' refresh links (POST /search/download-list), in seconds; a week by default. */
  HEXARCHIVE_REFRESH_LINK_SECONDS: z.coerce.number().int().min(60).max(31_622_400).default(604_800),
  HEXARCHIVE_DOWNLOAD_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DOWNLOAD_DEFAULTS.concurrentLimit),
  /** Fastest expected rate of one transfer (bytes/s): a download holds its slot for size / rate. */
  HEXARCHIVE_DOWNLOAD_LEASE_BYTES_PER_SECOND: z.coerce
    .number()
    .int()
    .min(1)
    .default(DOWNLOAD_DEFAULTS.leaseBytesPerSecond),
  HEXARCHIVE_INLINE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(5_000_000)
    .default(DOWNLOAD_DEFAULTS.inlineMaxBytes),
  /** Members above this are extracted in the background (202 + Retry-After); default 256 MiB. */
  HEXARCHIVE_SYNC_EXTRACT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(DOWNLOAD_DEFAULTS.syncExtractMaxBytes),
  /** Function that runs background extractions (15 min timeout); defaults to this function itself. */
  HEXARCHIVE_EXTRACT_FUNCTION: z.string().min(1).optional(),
  /** Copy stored members server-side (S3 UploadPartCopy); emulators cannot, so off unless set. */
  HEXARCHIVE_COPY_STORED_MEMBERS: z.enum(["true", "false"]).default("false"),
  /**
   * Products whose MD5 S3 cannot give (multipart uploads) get it from one streamed read after ingest, up
   * to this size; 0 disables. Default 10 GiB: the largest Sentinel-1 SLC products, with room to spare.
   */
  HEXARCHIVE_MD5_MAX_BYTES: z.coerce.number().int().min(0).default(DEFAULT_MD5_MAX_BYTES),
  /** Function that computes those MD5s (15 min timeout), invoked asynchronously by ingest. */
  HEXARCHIVE_MD5_FUNCTION: z.string().min(1).optional(),
  /**
   * Secrets Manager secret (ARN or name) whose value signs paging tokens, read once per cold start.
   * Unset, each instance signs with a random key of its own: tokens then fail on other instances.
   */
  HEXARCHIVE_TOKEN_SECRET: z.string().min(1).optional(),
  /**
   * A basemap tile service for the search page, a URL template with {z}, {x} and {y} (and {s} for
   * subdomains); unset, the page draws the packaged outline and calls no other host.
   */
  HEXARCHIVE_BASEMAP_TILES: z
    .string()
    .regex(
      /^https?:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/i,
      "expected an http(s) URL template with {z}, {x} and {y}",
    )
    .optional(),
  /** The tiles' attribution as shown on the map (plain text). */
  HEXARCHIVE_BASEMAP_ATTRIBUTION: z.string().optional(),
  /** Bucket of the lifecycle jobs' inputs: the upstream deletion list and the retention policies. */
  HEXARCHIVE_LIFECYCLE_BUCKET: z.string().min(3).optional(),
  /** Key of the upstream deletion list (CDSE DeletedProducts JSON or CSV) the scheduled sync reads. */
  HEXARCHIVE_DELETIONS_KEY: z.string().min(1).optional(),
  /** Key of the retention policy file the scheduled eviction reads. */
  HEXARCHIVE_RETENTION_KEY: z.string().min(1).optional(),
  /** Subscriptions one user may hold (shared/subscriptions/). */
  HEXARCHIVE_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(0).max(10_000).default(20),
  /** Buckets operators' relay subscriptions may copy into, comma-separated; unset: no relays. */
  HEXARCHIVE_RELAY_BUCKETS: z.string().optional(),
  /** Relay copies in flight at once per subscriptions run (shared/subscriptions/relay-limits.ts). */
  HEXARCHIVE_RELAY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Bytes relays may copy per subscriptions run; more waits for the next run (default 20 GiB). */
  HEXARCHIVE_RELAY_BYTES_PER_RUN: z.coerce
    .number()
    .int()
    .min(1)
    .default(20 * 2 ** 30),
  /** SNS topic every change is published to (ARN); unset: none. */
  HEXARCHIVE_CHANGES_TOPIC: z.string().min(1).optional(),
  /** Function that runs background jobs (exports, imports; 15 min timeout), invoked asynchronously. */
  HEXARCHIVE_JOBS_FUNCTION: z.string().min(1).optional(),
  /** Private bucket of the jobs: exports are written under `exports/`, imports read from `imports/`. */
  HEXARCHIVE_JOBS_BUCKET: z.string().min(3).optional(),
  /** Where imports may read, `bucket/prefix/` comma-separated; default the jobs bucket's `imports/`. */
  HEXARCHIVE_IMPORT_SOURCES: z.string().optional(),
  /** Set by Lambda: the name of the running function. */
  AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).optional(),
});

export interface Config {
  tableName: string;
  productsBucket: string;
  presignSeconds: number;
  publicUrl: string | undefined;
  s3ForcePathStyle: boolean;
  /** Reads through the SDK's own stack (shared/storage/lean-reads.ts off): the fallback switch. */
  sdkReads: boolean;
  region: string;
  access: string | undefined;
  oidcIssuer: string | undefined;
  oidcClientId: string | undefined;
  cacheBucket: string | undefined;
  signingKey: string | undefined;
  signedLinkSeconds: number;
  refreshLinkSeconds: number;
  downloadLimit: number;
  downloadLeaseBytesPerSecond: number;
  inlineMaxBytes: number;
  syncExtractMaxBytes: number;
  /** Where background extractions are sent; undefined outside Lambda. */
  extractFunction: string | undefined;
  copyStoredMembers: boolean;
  /** Largest object whose MD5 is computed by reading it (0: never). */
  md5MaxBytes: number;
  /** Where MD5 jobs are sent; undefined: none are started. */
  md5Function: string | undefined;
  /** Secret holding the paging-token signing key; undefined: a random key per instance. */
  tokenSecret: string | undefined;
  /** The search page's basemap tile service; undefined: the packaged outline only. */
  basemapTiles: { url: string; attribution: string | undefined } | undefined;
  /** Where the lifecycle jobs read their inputs; undefined: they have none. */
  lifecycleBucket: string | undefined;
  /** Undefined: shared/lifecycle/inputs.ts's. */
  deletionsKey: string | undefined;
  retentionKey: string | undefined;
  subscriptionsPerUser: number;
  /** Buckets relays may copy into; empty: no relays. */
  relayBuckets: string[];
  relayLimits: { concurrency: number; bytesPerRun: number };
  /** Where changes are published; undefined: nowhere. */
  changesTopic: string | undefined;
  /** Where the API sends jobs (the jobs function continues its own); undefined: no jobs. */
  jobsFunction: string | undefined;
  jobsBucket: string | undefined;
  /** `bucket/prefix/` entries (shared/jobs/import-source.ts); undefined: the jobs bucket's `imports/`. */
  importSources: string | undefined;
}

export const ENV_NAMES = {
  table: "HEXARCHIVE_TABLE",
  productsBucket: "HEXARCHIVE_PRODUCTS_BUCKET",
  presignSeconds: "HEXARCHIVE_PRESIGN_SECONDS",
  publicUrl: "HEXARCHIVE_PUBLIC_URL",
  s3ForcePathStyle: "HEXARCHIVE_S3_FORCE_PATH_STYLE",
  sdkReads: "HEXARCHIVE_SDK_READS",
  access: "HEXARCHIVE_ACCESS",
  oidcIssuer: "HEXARCHIVE_OIDC_ISSUER",
  oidcClientId: "HEXARCHIVE_OIDC_CLIENT_ID",
  cacheBucket: "HEXARCHIVE_CACHE_BUCKET",
  downloadLimit: "HEXARCHIVE_DOWNLOAD_LIMIT",
  downloadLeaseBytesPerSecond: "HEXARCHIVE_DOWNLOAD_LEASE_BYTES_PER_SECOND",
  signingKey: "HEXARCHIVE_SIGNING_KEY",
  signedLinkSeconds: "HEXARCHIVE_SIGNED_LINK_SECONDS",
  refreshLinkSeconds: "HEXARCHIVE_REFRESH_LINK_SECONDS",
  syncExtractMaxBytes: "HEXARCHIVE_SYNC_EXTRACT_MAX_BYTES",
  extractFunction: "HEXARCHIVE_EXTRACT_FUNCTION",
  copyStoredMembers: "HEXARCHIVE_COPY_STORED_MEMBERS",
  md5MaxBytes: "HEXARCHIVE_MD5_MAX_BYTES",
  md5Function: "HEXARCHIVE_MD5_FUNCTION",
  tokenSecret: "HEXARCHIVE_TOKEN_SECRET",
  basemapTiles: "HEXARCHIVE_BASEMAP_TILES",
  basemapAttribution: "HEXARCHIVE_BASEMAP_ATTRIBUTION",
  lifecycleBucket: "HEXARCHIVE_LIFECYCLE_BUCKET",
  deletionsKey: "HEXARCHIVE_DELETIONS_KEY",
  retentionKey: "HEXARCHIVE_RETENTION_KEY",
  subscriptionsPerUser: "HEXARCHIVE_SUBSCRIPTIONS_PER_USER",
  relayBuckets: "HEXARCHIVE_RELAY_BUCKETS",
  relayConcurrency: "HEXARCHIVE_RELAY_CONCURRENCY",
  relayBytesPerRun: "HEXARCHIVE_RELAY_BYTES_PER_RUN",
  changesTopic: "HEXARCHIVE_CHANGES_TOPIC",
  jobsFunction: "HEXARCHIVE_JOBS_FUNCTION",
  jobsBucket: "HEXARCHIVE_JOBS_BUCKET",
  importSources: "HEXARCHIVE_IMPORT_SOURCES",
} as const;

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return {
    tableName: e.HEXARCHIVE_TABLE,
    productsBucket: e.HEXARCHIVE_PRODUCTS_BUCKET,
    presignSeconds: e.HEXARCHIVE_PRESIGN_SECONDS,
    publicUrl: e.HEXARCHIVE_PUBLIC_URL,
    s3ForcePathStyle: e.HEXARCHIVE_S3_FORCE_PATH_STYLE === "true",
    sdkReads: e.HEXARCHIVE_SDK_READS === "true",
    region: e.AWS_REGION,
    access: e.HEXARCHIVE_ACCESS,
    oidcIssuer: e.HEXARCHIVE_OIDC_ISSUER,
    oidcClientId: e.HEXARCHIVE_OIDC_CLIENT_ID,
    cacheBucket: e.HEXARCHIVE_CACHE_BUCKET,
    signingKey: e.HEXARCHIVE_SIGNING_KEY,
    signedLinkSeconds: e.HEXARCHIVE_SIGNED_LINK_SECONDS,
    refreshLinkSeconds: e.HEXARCHIVE_REFRESH_LINK_SECONDS,
    downloadLimit: e.HEXARCHIVE_DOWNLOAD_LIMIT,
    downloadLeaseBytesPerSecond: e.HEXARCHIVE_DOWNLOAD_LEASE_BYTES_PER_SECOND,
    inlineMaxBytes: e.HEXARCHIVE_INLINE_MAX_BYTES,
    syncExtractMaxBytes: e.HEXARCHIVE_SYNC_EXTRACT_MAX_BYTES,
    extractFunction: e.HEXARCHIVE_EXTRACT_FUNCTION ?? e.AWS_LAMBDA_FUNCTION_NAME,
    copyStoredMembers: e.HEXARCHIVE_COPY_STORED_MEMBERS === "true",
    md5MaxBytes: e.HEXARCHIVE_MD5_MAX_BYTES,
    md5Function: e.HEXARCHIVE_MD5_FUNCTION,
    tokenSecret: e.HEXARCHIVE_TOKEN_SECRET,
    basemapTiles: e.HEXARCHIVE_BASEMAP_TILES
      ? { url: e.HEXARCHIVE_BASEMAP_TILES, attribution: e.HEXARCHIVE_BASEMAP_ATTRIBUTION }
      : undefined,
    lifecycleBucket: e.HEXARCHIVE_LIFECYCLE_BUCKET,
    deletionsKey: e.HEXARCHIVE_DELETIONS_KEY,
    retentionKey: e.HEXARCHIVE_RETENTION_KEY,
    subscriptionsPerUser: e.HEXARCHIVE_SUBSCRIPTIONS_PER_USER,
    relayBuckets: (e.HEXARCHIVE_RELAY_BUCKETS ?? "")
      .split(",")
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
    relayLimits: {
      concurrency: e.HEXARCHIVE_RELAY_CONCURRENCY,
      bytesPerRun: e.HEXARCHIVE_RELAY_BYTES_PER_RUN,
    },
    changesTopic: e.HEXARCHIVE_CHANGES_TOPIC,
    jobsFunction: e.HEXARCHIVE_JOBS_FUNCTION,
    jobsBucket: e.HEXARCHIVE_JOBS_BUCKET,
    importSources:
      e.HEXARCHIVE_IMPORT_SOURCES ??
      (e.HEXARCHIVE_JOBS_BUCKET ? `${e.HEXARCHIVE_JOBS_BUCKET}/imports/` : undefined),
  };
}
