// Size and cold-start import time of the API function's bundle (esbuild, as the CDK bundles it).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type BuildOptions, build } from "esbuild";

export interface BundleFigures {
  bytes: number;
  bytesWithoutSdk: number;
  /** Median import time of the bundle (with the SDK) in a fresh Node process, as a cold start does. */
  initMs: number;
  /** Every run's import time. */
  initRunsMs: number[];
}

const INIT_RUNS = 5;

/** Imports the bundle in a new process (a fresh runtime, as Lambda's init) and returns the ms it took. */
async function timeImport(dir: string): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(dir, "init.mjs")], {
    env: {
      PATH: process.env["PATH"] ?? "",
      HEXARCHIVE_TABLE: "bench-table",
      HEXARCHIVE_PRODUCTS_BUCKET: "bench-bucket",
      AWS_REGION: "eu-central-1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  });
  return Number(stdout.trim());
}

export async function measureApiBundle(): Promise<BundleFigures> {
  const dir = mkdtempSync(join(tmpdir(), "hexarchive-bundle-"));
  const entry = join(import.meta.dirname, "../../lambdas/api/handler.ts");
  const common: BuildOptions = {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: true,
  };
  const banner = { js: "import{createRequire as __cr}from'module';const require=__cr(import.meta.url);" };
  try {
    // Lambda provides the AWS SDK: the deployed bundle leaves it out; the timed one includes it, as it is loaded at init.
    await build({ ...common, outfile: join(dir, "slim.mjs"), external: ["@aws-sdk/*"], banner });
    await build({ ...common, outfile: join(dir, "full.mjs"), banner });
    writeFileSync(
      join(dir, "init.mjs"),
      'const t0 = performance.now(); await import("./full.mjs"); console.log(performance.now() - t0);\n',
    );
    const initRunsMs: number[] = [];
    for (let i = 0; i < INIT_RUNS; i++) initRunsMs.push(await timeImport(dir));
    return {
      bytes: statSync(join(dir, "full.mjs")).size,
      bytesWithoutSdk: statSync(join(dir, "slim.mjs")).size,
      initMs: [...initRunsMs].sort((a, b) => a - b)[Math.floor(INIT_RUNS / 2)]!,
      initRunsMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
