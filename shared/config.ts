// The only place that reads process.env: every setting a function needs, validated once at cold start.
import { z } from "zod";

const Env = z.object({
  HEXARCHIVE_TABLE: z.string().min(1),
  HEXARCHIVE_PRODUCTS_BUCKET: z.string().min(3),
  /** Lifetime of presigned download URLs, in seconds. Short by default. */
  HEXARCHIVE_PRESIGN_SECONDS: z.coerce.number().int().min(1).max(604_800).default(300),
  /** Public base URL (custom domain); otherwise links are built from the request's host and stage. */
  HEXARCHIVE_PUBLIC_URL: z.url().optional(),
  /** Path-style S3 addressing, for S3 emulators. */
  HEXARCHIVE_S3_FORCE_PATH_STYLE: z.enum(["true", "false"]).default("false"),
  AWS_REGION: z.string().default("us-east-1"),
});

export interface Config {
  tableName: string;
  productsBucket: string;
  presignSeconds: number;
  publicUrl: string | undefined;
  s3ForcePathStyle: boolean;
  region: string;
}

export const ENV_NAMES = {
  table: "HEXARCHIVE_TABLE",
  productsBucket: "HEXARCHIVE_PRODUCTS_BUCKET",
  presignSeconds: "HEXARCHIVE_PRESIGN_SECONDS",
  publicUrl: "HEXARCHIVE_PUBLIC_URL",
  s3ForcePathStyle: "HEXARCHIVE_S3_FORCE_PATH_STYLE",
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
    region: e.AWS_REGION,
  };
}
