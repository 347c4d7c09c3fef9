// Two local stacks for the CLI's catalogue-to-catalogue tests (export → import, import from another
// STAC API or DHuS): a source holding the sample products and an empty target, a working directory for
// the real `hexarchive` binary, its environment (the operator of both: every test stack shares one auth
// file), and each catalogue's search results without what the serving catalogue writes for itself.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "./stack.ts";

export const CLI_BIN = resolve(import.meta.dirname, "../../cli/bin/hexarchive.mjs");

export interface CataloguePair {
  source: TestStack;
  target: TestStack;
  /** The binary's working directory and HOME (its checkpoints and files land here). */
  work: string;
  close(): Promise<void>;
}

export async function startCataloguePair(prefix: string): Promise<CataloguePair> {
  const access = parseAccessPolicy(undefined);
  const [source, target] = await Promise.all([startTestStack({ access }), startTestStack({ access })]);
  await uploadSamples(source.s3, source.bucket);
  await source.settled();
  const work = mkdtempSync(join(tmpdir(), prefix));
  return {
    source,
    target,
    work,
    close: async () => {
      await Promise.all([source.close(), target.close()]);
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The binary's environment against `api`, signed in as the operator, with no config file of the user's. */
export function cliEnv(pair: CataloguePair, api: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { user, password } = pair.source.endpoints.auth.operator;
  return {
    PATH: process.env["PATH"],
    HOME: pair.work,
    HEXARCHIVE_CONFIG: join(pair.work, "no-config.json"),
    HEXARCHIVE_URL: api,
    HEXARCHIVE_USER: user,
    HEXARCHIVE_PASSWORD: password,
    HEXARCHIVE_BACKOFF_MS: "100",
    ...extra,
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real binary to its end. */
export function runCli(
  pair: CataloguePair,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeout = 90_000,
): Promise<CliRun> {
  return new Promise((done) =>
    execFile(process.execPath, [CLI_BIN, ...args], { env, cwd: pair.work, timeout }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** What a search shows of each item, without what the serving catalogue writes for itself. */
export async function comparableResults(stack: TestStack, body: Record<string, unknown>) {
  const res = await stack.post("/search", { limit: 1000, ...body });
  expect(res.status).toBe(200);
  return res.body.features.map((f: Record<string, unknown>) => {
    const { created: _c, updated: _u, ...properties } = f["properties"] as Record<string, unknown>;
    const assets = Object.fromEntries(
      Object.entries(f["assets"] as Record<string, Record<string, unknown>>).map(([k, a]) => {
        const { "auth:refs": _r, ...rest } = a;
        return [k, rest];
      }),
    );
    return {
      id: f["id"],
      collection: f["collection"],
      geometry: f["geometry"],
      bbox: f["bbox"],
      properties,
      assets,
    };
  });
}
