// Size and cold-start import time of the API function's bundle (esbuild, as the CDK bundles it).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildOptions, build } from "esbuild";

export interface BundleFigures {
  bytes: number;
  bytesWithoutSdk: number;
  initMs: number;
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
    Object.assign(process.env, {
      HEXARCHIVE_TABLE: "bench-table",
      HEXARCHIVE_PRODUCTS_BUCKET: "bench-bucket",
      AWS_REGION: "eu-central-1",
    });
    const t0 = performance.now();
    await import(pathToFileURL(join(dir, "full.mjs")).href);
    const initMs = performance.now() - t0;
    return {
      bytes: statSync(join(dir, "full.mjs")).size,
      bytesWithoutSdk: statSync(join(dir, "slim.mjs")).size,
      initMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
