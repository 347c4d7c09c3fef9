// The CLI's settings: defaults, then the config file (~/.config/hexarchive/config.json, or
// $HEXARCHIVE_CONFIG), then the environment, then the command line. The CLI's one reader of process.env.
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "./errors.ts";

export interface CliConfig {
  /** The API's root, without a trailing slash. */
  url: string;
  user?: string | undefined;
  password?: string | undefined;
  /** Where `upload` puts products: the products bucket (S3 credentials come from the AWS environment). */
  s3: { endpoint?: string | undefined; bucket?: string | undefined; region: string };
  /** Credentials for the catalogue `import --from-stac/--from-dhus` reads (sent to its origin only). */
  source?: { user?: string | undefined; password?: string | undefined };
  /** Retries of a failed request (network, 429, 5xx) before a file or a command gives up. */
  retries: number;
  /** The first backoff, in ms (doubling, with jitter, up to a minute; Retry-After wins when given). */
  backoffMs: number;
}

export const DEFAULT_URL = "http://localhost:3000";

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env["HEXARCHIVE_CONFIG"]) return env["HEXARCHIVE_CONFIG"];
  const base = env["XDG_CONFIG_HOME"] || join(homedir(), ".config");
  return join(base, "hexarchive", "config.json");
}

function readFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error("not a JSON object");
    return v as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`config file ${path}: ${(e as Error).message}`);
  }
}

const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

function positive(name: string, v: unknown, fallback: number): number {
  if (v === undefined || v === "") return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${name}: expected a number ≥ 0, got '${v}'`);
  return n;
}

export function loadConfig(
  flags: { url?: string | undefined; user?: string | undefined; retries?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): CliConfig {
  const file = readFile(configPath(env));
  const s3 = (typeof file["s3"] === "object" && file["s3"] !== null ? file["s3"] : {}) as Record<
    string,
    unknown
  >;
  const url = flags.url ?? str(env["HEXARCHIVE_URL"]) ?? str(file["url"]) ?? DEFAULT_URL;
  try {
    new URL(url);
  } catch {
    throw new UsageError(
      `the API URL '${url}' is not an absolute URL (--url, HEXARCHIVE_URL or "url" in ${configPath(env)})`,
    );
  }
  return {
    url: url.replace(/\/+$/, ""),
    user: flags.user ?? str(env["HEXARCHIVE_USER"]) ?? str(file["user"]),
    password: str(env["HEXARCHIVE_PASSWORD"]) ?? str(file["password"]),
    s3: {
      endpoint: str(env["HEXARCHIVE_S3_ENDPOINT"]) ?? str(s3["endpoint"]),
      bucket: str(env["HEXARCHIVE_BUCKET"]) ?? str(s3["bucket"]),
      region: str(env["AWS_REGION"]) ?? str(env["AWS_DEFAULT_REGION"]) ?? str(s3["region"]) ?? "us-east-1",
    },
    source: { user: str(env["HEXARCHIVE_SOURCE_USER"]), password: str(env["HEXARCHIVE_SOURCE_PASSWORD"]) },
    retries: positive("--retries", flags.retries ?? env["HEXARCHIVE_RETRIES"] ?? file["retries"], 5),
    backoffMs: positive("HEXARCHIVE_BACKOFF_MS", env["HEXARCHIVE_BACKOFF_MS"] ?? file["backoffMs"], 1000),
  };
}
