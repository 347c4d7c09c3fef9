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
    /** Existing SNS topic that the dead-letter-queue alarm notifies. */
    alarmTopicArn: z.string().startsWith("arn:").optional(),
    tracing: toBoolean.default(true),
    throttleRateLimit: z.coerce.number().int().min(1).default(50),
    throttleBurstLimit: z.coerce.number().int().min(1).default(100),
    noncurrentVersionDays: z.coerce.number().int().min(1).default(30),
    accessLogExpirationDays: z.coerce.number().int().min(1).default(365),
  })
  .refine((c) => (c.domainName === undefined) === (c.certificateArn === undefined), {
    message: "domainName and certificateArn must be given together",
    path: ["domainName"],
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
    tracing: c.tracing,
    throttle: { rateLimit: c.throttleRateLimit, burstLimit: c.throttleBurstLimit },
    noncurrentVersionDays: c.noncurrentVersionDays,
    accessLogExpirationDays: c.accessLogExpirationDays,
  };
}
