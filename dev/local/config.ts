// Settings of `npm start`, from the environment (the only place the local stack reads it).
import { resolve } from "node:path";
import { z } from "zod";
import { type AccessPolicy, parseAccessPolicy } from "../../shared/auth/access-policy.ts";

const Env = z.object({
  HEXARCHIVE_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HEXARCHIVE_S3_PORT: z.coerce.number().int().min(0).max(65535).default(4569),
  HEXARCHIVE_DYNAMODB_PORT: z.coerce.number().int().min(0).max(65535).default(4567),
  HEXARCHIVE_DATA_DIR: z.string().min(1).default(".data"),
  /** Where dynalite runs: in a process of its own (default), or in npm start's own process. */
  HEXARCHIVE_DYNAMODB_PROCESS: z.enum(["child", "in-process"]).default("child"),
  HEXARCHIVE_SAMPLES: z.enum(["0", "1"]).default("1"),
  HEXARCHIVE_PRESIGN_SECONDS: z.coerce.number().int().min(1).max(604_800).default(300),
  /** Access rules (JSON, see shared/auth/access-policy.ts); default: search public, downloads signed in. */
  HEXARCHIVE_ACCESS: z.string().optional(),
  /** The search page's basemap tiles, as on AWS (shared/config.ts); unset: the packaged outline only. */
  HEXARCHIVE_BASEMAP_TILES: z.string().min(1).optional(),
  HEXARCHIVE_BASEMAP_ATTRIBUTION: z.string().optional(),
  /** Set by npm: the directory `npm run …` was typed in (file arguments are relative to it). */
  INIT_CWD: z.string().min(1).optional(),
});

export interface LocalConfig {
  apiPort: number;
  s3Port: number;
  dynamoPort: number;
  dynamo: "child" | "in-process";
  dataDir: string;
  samples: boolean;
  presignSeconds: number;
  access: AccessPolicy;
  basemapTiles: { url: string; attribution: string | undefined } | undefined;
  /** Where relative file arguments of the commands are read from. */
  invokedFrom: string;
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
    dynamo: e.HEXARCHIVE_DYNAMODB_PROCESS,
    dataDir: resolve(e.HEXARCHIVE_DATA_DIR),
    samples: e.HEXARCHIVE_SAMPLES === "1",
    presignSeconds: e.HEXARCHIVE_PRESIGN_SECONDS,
    access: parseAccessPolicy(e.HEXARCHIVE_ACCESS),
    basemapTiles: e.HEXARCHIVE_BASEMAP_TILES
      ? { url: e.HEXARCHIVE_BASEMAP_TILES, attribution: e.HEXARCHIVE_BASEMAP_ATTRIBUTION }
      : undefined,
    invokedFrom: e.INIT_CWD ?? process.cwd(),
  };
}

/** The settings that choose a port, with the value each has. */
const PORT_SETTINGS = (c: LocalConfig): [string, number][] => [
  ["HEXARCHIVE_PORT", c.apiPort],
  ["HEXARCHIVE_S3_PORT", c.s3Port],
  ["HEXARCHIVE_DYNAMODB_PORT", c.dynamoPort],
];

/**
 * What to tell the user when starting failed because a port is taken (EADDRINUSE): the port and the
 * variable that moves it. Undefined for any other failure.
 */
export function portClashMessage(err: unknown, c: LocalConfig): string | undefined {
  const e = err as { code?: unknown; port?: unknown } | null;
  if (e?.code !== "EADDRINUSE") return undefined;
  const settings = PORT_SETTINGS(c);
  const named = settings.filter(([, port]) => port === e.port);
  const which = (named.length > 0 ? named : settings).map(([name]) => name);
  const port = typeof e.port === "number" ? e.port : undefined;
  const example = port !== undefined && port > 0 && port < 65535 ? port + 1 : 0;
  return [
    `Port ${port ?? "(unknown)"} is already in use (another hexarchive, or another program).`,
    `Stop that program, or set ${which.join(" / ")} to a free port (0 picks one), e.g.`,
    `  ${which[0]}=${example} npm start`,
  ].join("\n");
}
