// Deployment settings, read once from CDK context (cdk.json "context" or `-c key=value`) and validated.
// Values passed with `-c` arrive as strings, so numbers and booleans are coerced here.
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { z } from "zod";

const RETENTION_DAYS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === "number"),
);

const toBoolean = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** A comma-separated string (`-c corsOrigins=a,b`) or a JSON array in cdk.json. */
const stringList = z
  .union([z.array(z.string()), z.string().transform((v) => v.split(","))])
  .transform((list) => list.map((s) => s.trim()).filter((s) => s.length > 0));

/** The functions whose reserved concurrency is set (cdk/stacks/hexarchive-stack.ts). */
export const FUNCTION_NAMES = [
  "api",
  "transactions",
  "extractor",
  "ingest",
  "md5",
  "reconcile",
  "lifecycle",
  "subscriptions",
  "jobs",
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];
/**
 * Modest on purpose: reservations are taken from the account's concurrency quota, and Lambda refuses any
 * that leaves less than 100 unreserved, so these 47 deploy on the usual quota of 1,000 but not on a new
 * account's lower one (ask for an increase, or `-c reservedConcurrency=none`). `api` bounds searches in
 * flight (about 50 requests/s, the stage throttle, at half a second each); `ingest` equals the SQS event
 * source's maximum concurrency (cdk/constructs/ingest-pipeline.ts), below which batches would be throttled.
 */
export const DEFAULT_RESERVED_CONCURRENCY: Readonly<Record<FunctionName, number>> = {
  api: 25,
  transactions: 2,
  extractor: 4,
  ingest: 10,
  md5: 2,
  // One run at a time: a second would only repeat the first one's resyncs.
  reconcile: 1,
  // Deletions and evictions one run at a time (both jobs share it): runs never race each other.
  lifecycle: 1,
  // One run at a time: two would deliver the same events twice.
  subscriptions: 1,
  // Exports and imports in flight at once (more wait in Lambda's asynchronous queue).
  jobs: 2,
};
const concurrency = z.coerce.number().int().min(1).max(10_000);
const ConcurrencyOverrides = z
  .object(
    Object.fromEntries(FUNCTION_NAMES.map((n) => [n, concurrency.optional()])) as Record<
      FunctionName,
      z.ZodOptional<typeof concurrency>
    >,
  )
  .strict();
/**
 * `none` (no reservation at all), an object in cdk.json (`{"api": 50}`) or `api=50,ingest=20` with `-c`;
 * functions not named keep their default.
 */
const reservedConcurrency = z.union([
  z.literal("none"),
  ConcurrencyOverrides,
  z
    .string()
    .regex(/^\s*\w+\s*=\s*\d+\s*(,\s*\w+\s*=\s*\d+\s*)*$/, "none, or name=number pairs separated by commas")
    .transform((v) => Object.fromEntries(v.split(",").map((pair) => pair.split("=").map((x) => x.trim()))))
    .pipe(ConcurrencyOverrides),
]);

const Context = z
  .object({
    /** Stage name: part of the stack name, so several stages can live in one account. */
    stage: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,19}$/, "lower-case letters, digits and '-', starting with a letter")
      .default("dev"),
    presignSeconds: z.coerce.number().int().min(1).max(604_800).default(300),
    logRetentionDays: z.coerce
      .number()
      .int()
      .refine(
        (d) => RETENTION_DAYS.has(d),
        "one of CloudWatch Logs' retention values (1, 3, 5, 7, 14, 30, …)",
      )
      .default(30),
    /** Origins allowed by the API's CORS and by the bucket's CORS for presigned GETs. */
    corsOrigins: stringList.default(["*"]),
    /** Optional custom domain for the API; both name and ACM certificate (same region) are needed. */
    domainName: z.string().min(3).optional(),
    certificateArn: z.string().startsWith("arn:").optional(),
    /** Existing SNS topic that every alarm notifies too (the stack's own topic always is). */
    alarmTopicArn: z.string().startsWith("arn:").optional(),
    /** Addresses subscribed to the stack's alarm topic. */
    alarmEmail: stringList.pipe(z.array(z.string().email())).default([]),
    reservedConcurrency: reservedConcurrency.default({}),
    /** Buckets (names) operators' relay subscriptions may copy products into. */
    relayBuckets: stringList
      .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name")))
      .default([]),
    /**
     * Requests one client IP may make in 5 minutes before CloudFront's WAF answers 403; enables a
     * CloudFront distribution with a WAF web ACL in front of the API (cdk/constructs/edge-firewall.ts).
     */
    wafRateLimit: z.coerce.number().int().min(10).max(2_000_000_000).optional(),
    /** The search page's basemap tiles (URL template with {z}/{x}/{y}); unset: the packaged outline only. */
    basemapTiles: z
      .string()
      .regex(/^https:\/\/[^/]+\/.*\{z\}.*\{x\}.*\{y\}/i, "an https URL template with {z}, {x} and {y}")
      .optional(),
    /** Credit for those tiles, shown on the map. */
    basemapAttribution: z.string().min(1).optional(),
    tracing: toBoolean.default(true),
    throttleRateLimit: z.coerce.number().int().min(1).default(50),
    throttleBurstLimit: z.coerce.number().int().min(1).default(100),
    noncurrentVersionDays: z.coerce.number().int().min(1).default(30),
    accessLogExpirationDays: z.coerce.number().int().min(1).default(365),
  })
  .refine((c) => (c.domainName === undefined) === (c.certificateArn === undefined), {
    message: "domainName and certificateArn must be given together",
    path: ["domainName"],
  })
  // The custom domain maps the regional API, which the CloudFront web ACL would not guard; serving it from
  // CloudFront needs a certificate in us-east-1 and is not built yet.
  .refine((c) => c.wafRateLimit === undefined || c.domainName === undefined, {
    message: "wafRateLimit cannot be combined with domainName yet (the custom domain would bypass the WAF)",
    path: ["wafRateLimit"],
  });

export interface CustomDomain {
  domainName: string;
  certificateArn: string;
}

export interface HexarchiveConfig {
  stage: string;
  presignSeconds: number;
  logRetention: RetentionDays;
  corsOrigins: string[];
  customDomain: CustomDomain | undefined;
  alarmTopicArn: string | undefined;
  alarmEmails: string[];
  /** Per function; undefined: none reserved. */
  reservedConcurrency: Record<FunctionName, number> | undefined;
  wafRateLimit: number | undefined;
  /** Relay target buckets; empty: no relays. */
  relayBuckets: string[];
  /** Basemap tiles for the search page; undefined: the packaged outline only. */
  basemap: { tiles: string; attribution: string | undefined } | undefined;
  tracing: boolean;
  throttle: { rateLimit: number; burstLimit: number };
  noncurrentVersionDays: number;
  accessLogExpirationDays: number;
}

export const CONTEXT_KEYS = Object.keys(Context.shape) as (keyof z.input<typeof Context>)[];

/** Reads the settings through `lookup` (normally `app.node.tryGetContext`); throws naming every bad key. */
export function loadCdkConfig(lookup: (key: string) => unknown): HexarchiveConfig {
  const raw = Object.fromEntries(CONTEXT_KEYS.map((k) => [k, lookup(k)]).filter(([, v]) => v !== undefined));
  const parsed = Context.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid CDK context: ${problems}`);
  }
  const c = parsed.data;
  return {
    stage: c.stage,
    presignSeconds: c.presignSeconds,
    logRetention: c.logRetentionDays as RetentionDays,
    corsOrigins: c.corsOrigins,
    customDomain:
      c.domainName !== undefined && c.certificateArn !== undefined
        ? { domainName: c.domainName, certificateArn: c.certificateArn }
        : undefined,
    alarmTopicArn: c.alarmTopicArn,
    alarmEmails: c.alarmEmail,
    relayBuckets: c.relayBuckets,
    reservedConcurrency:
      c.reservedConcurrency === "none"
        ? undefined
        : { ...DEFAULT_RESERVED_CONCURRENCY, ...definedOnly(c.reservedConcurrency) },
    wafRateLimit: c.wafRateLimit,
    basemap: c.basemapTiles ? { tiles: c.basemapTiles, attribution: c.basemapAttribution } : undefined,
    tracing: c.tracing,
    throttle: { rateLimit: c.throttleRateLimit, burstLimit: c.throttleBurstLimit },
    noncurrentVersionDays: c.noncurrentVersionDays,
    accessLogExpirationDays: c.accessLogExpirationDays,
  };
}

const definedOnly = (
  o: Partial<Record<FunctionName, number | undefined>>,
): Partial<Record<FunctionName, number>> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Where `cdk` deploys to, as the CLI tells the app (from the AWS profile); both may be unknown offline. */
export interface DeployTarget {
  account: string | undefined;
  region: string | undefined;
}

export function loadDeployTarget(env: Record<string, string | undefined>): DeployTarget {
  return { account: env["CDK_DEFAULT_ACCOUNT"], region: env["CDK_DEFAULT_REGION"] };
}
