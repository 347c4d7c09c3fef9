// `npm start` with a port already taken: a short message naming the variable to change, no stack trace.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

let taken: Server;
let port: number;
let dataDir: string;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((r) => taken.listen(0, r));
  port = (taken.address() as { port: number }).port;
  dataDir = mkdtempSync(join(tmpdir(), "hexarchive-port-"));
});
afterAll(async () => {
  await new Promise((r) => taken.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `npm start`'s entry point; the exit code, stdout and stderr. */
async function start(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(join(ROOT, "node_modules/.bin/tsx"), ["dev/local/main.ts"], {
      cwd: ROOT,
      timeout: 60_000,
      env: {
        ...process.env,
        NODE_OPTIONS: "--openssl-legacy-provider",
        HEXARCHIVE_DATA_DIR: dataDir,
        HEXARCHIVE_SAMPLES: "0",
        HEXARCHIVE_PORT: "0",
        HEXARCHIVE_S3_PORT: "0",
        HEXARCHIVE_DYNAMODB_PORT: "0",
        ...env,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("npm start on a port in use", () => {
  it.each([["HEXARCHIVE_PORT"], ["HEXARCHIVE_S3_PORT"], ["HEXARCHIVE_DYNAMODB_PORT"]])(
    "names %s and exits without a stack trace",
    async (name) => {
      const r = await start({ [name]: String(port) });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`Port ${port} is already in use`);
      expect(r.stderr).toContain(`${name}=${port + 1} npm start`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    },
    90_000,
  );
});
