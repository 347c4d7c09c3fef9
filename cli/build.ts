// Builds the `hexarchive` command into cli/dist/ for the `hexarchive-cli` package (cli/package.json):
// plain ESM for Node 20 with its dependencies inside, so an installed copy needs neither tsx nor this
// checkout's node_modules. Run by `npm run build:cli` and by `npm pack` (the package's prepack).
import { rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const HERE = fileURLToPath(new URL(".", import.meta.url));
export const OUT_DIR = join(HERE, "dist");

/**
 * The AWS SDK bundles CommonJS that calls `require` for Node's own modules; an ES module has no
 * `require`, so every output file makes one. (Under this name, not a bare `require`, to stay clear of
 * any `require` a bundled module declares itself.)
 */
const BANNER = [
  "#!/usr/bin/env node",
  'import { createRequire as __hexarchiveCreateRequire } from "node:module";',
  "const require = __hexarchiveCreateRequire(import.meta.url);",
].join("\n");

/** Builds cli/dist/: the entry `hexarchive.mjs` and, under chunks/, what only some commands load. */
export async function buildCli(outDir = OUT_DIR): Promise<Record<string, number>> {
  rmSync(outDir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { hexarchive: join(HERE, "main.ts") },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // `upload` imports the S3 client when it runs: with splitting, that 1.4 MB stays in a chunk of its
    // own and every other command starts without reading it.
    splitting: true,
    outdir: outDir,
    outExtension: { ".js": ".mjs" },
    chunkNames: "chunks/[name]-[hash]",
    // Whitespace and syntax only: names stay, so a stack trace the CLI prints can still be read.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "eof",
    banner: { js: BANNER },
    metafile: true,
    logLevel: "warning",
  });
  const sizes: Record<string, number> = {};
  for (const file of Object.keys(result.metafile.outputs)) sizes[file] = statSync(file).size;
  return sizes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // On stderr: `npm pack --json` (whose prepack this is) keeps its stdout for its own JSON.
  const sizes = await buildCli();
  for (const [file, size] of Object.entries(sizes))
    console.error(`${file.padEnd(60)} ${(size / 1024).toFixed(0).padStart(6)} KiB`);
}
