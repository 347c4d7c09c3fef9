// Settings of `npm start`, from the environment (the only place the local stack reads it).
import { resolve } from "node:path";
import { z } from "zod";
import { type AccessPolicy, parseAccessPolicy } from "../../shared/auth/access-policy.ts";

const Env = z.object({
  HEXARCHIVE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HEXARCHIVE_S3_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  HEXARCHIVE_DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(4567),
  HEXARCHIVE_DATA_DIR: z.string().min(1).default(".data"),
  HEXARCHIVE_SAMPLES: z.enum(["0", "1"]).default("1"),
  HEXARCHIVE_PRESIGN_SECONDS: z.coerce.number().int().min(1).max(604_800).default(300),
  /** Access rules (JSON, see shared/auth/access-policy.ts); default: search public, downloads signed in. */
  HEXARCHIVE_ACCESS: z.string().optional(),
});

export interface LocalConfig {
  apiPort: number;
  s3Port: number;
  dynamoPort: number;
  dataDir: string;
  samples: boolean;
  presignSeconds: number;
  access: AccessPolicy;
}

export function loadLocalConfig(env: Record<string, string | undefined>): LocalConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid local settings: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const e = parsed.data;
  return {
    apiPort: e.HEXARCHIVE_PORT,
    s3Port: e.HEXARCHIVE_S3_PORT,
    dynamoPort: e.HEXARCHIVE_DYNAMODB_PORT,
    dataDir: resolve(e.HEXARCHIVE_DATA_DIR),
    samples: e.HEXARCHIVE_SAMPLES === "1",
    presignSeconds: e.HEXARCHIVE_PRESIGN_SECONDS,
    access: parseAccessPolicy(e.HEXARCHIVE_ACCESS),
  };
}
