// Builds the search page's static assets (script, styles, basemap) into a folder with content-hashed
// names and a manifest; the local stack runs it at start, the CDK app while bundling the API function.
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** What the server needs to write the page: the hashed names of its assets (see shared/api/ui-assets.ts). */
export interface UiManifest {
  js: string;
  css: string;
  land: string;
  /** Country outlines with names (world-atlas countries-110m), fetched when a country is first asked for. */
  countries: string;
  /** Bytes and gzipped bytes of each file, for the size budget printed by the build. */
  sizes: Record<string, { bytes: number; gzip: number }>;
}

const HERE = fileURLToPath(new URL(".", import.meta.url));
const LAND = fileURLToPath(import.meta.resolve("world-atlas/land-110m.json"));
const COUNTRIES = fileURLToPath(import.meta.resolve("world-atlas/countries-110m.json"));

/** A packaged file copied in under a content-hashed name. */
function copyHashed(src: string, stem: string, outDir: string): string {
  const bytes = readFileSync(src);
  const name = `${stem}-${createHash("sha256").update(bytes).digest("hex").slice(0, 8)}.json`;
  copyFileSync(src, join(outDir, name));
  return name;
}

/** Script and styles together under this (gzip) is the budget; the build says when it is exceeded. */
export const BUDGET_GZIP_BYTES = 100_000;

export async function buildUi(outDir: string): Promise<UiManifest> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(HERE, "src", "main.ts") },
    bundle: true,
    minify: true,
    format: "esm",
    // h3-js (the coverage view) goes in a chunk of its own, loaded when the view is first shown.
    splitting: true,
    chunkNames: "chunk-[hash]",
    target: "es2022",
    outdir: outDir,
    entryNames: "[name]-[hash]",
    assetNames: "[name]-[hash]",
    loader: { ".png": "file", ".svg": "file" },
    metafile: true,
    logLevel: "silent",
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
  const js = outputs.find((f) => f.startsWith("app-") && f.endsWith(".js"));
  const css = outputs.find((f) => f.startsWith("app-") && f.endsWith(".css"));
  if (!js || !css) throw new Error(`ui build: no script or styles among ${outputs.join(", ")}`);
  const land = copyHashed(LAND, "land", outDir);
  const countries = copyHashed(COUNTRIES, "countries", outDir);
  const sizes: UiManifest["sizes"] = {};
  for (const f of [...outputs, land, countries]) {
    const bytes = readFileSync(join(outDir, f));
    sizes[f] = { bytes: bytes.length, gzip: gzipSync(bytes).length };
  }
  const manifest: UiManifest = { js, css, land, countries, sizes };
  writeFileSync(join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A digest of everything the build reads: the page's sources, this script and the locked packages. */
function sourceDigest(): string {
  const h = createHash("sha256");
  const src = join(HERE, "src");
  for (const f of readdirSync(src).sort()) h.update(f).update(readFileSync(join(src, f)));
  // The page shares the API's normal form of geometries (web/src/area.ts).
  const geo = join(HERE, "..", "shared", "geo");
  for (const f of readdirSync(geo).sort()) h.update(f).update(readFileSync(join(geo, f)));
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  const lock = join(HERE, "..", "package-lock.json");
  if (existsSync(lock)) h.update(readFileSync(lock));
  return h.digest("hex").slice(0, 16);
}

/**
 * The built page for the current sources, built once and then reused from the system's temporary folder
 * (every local stack of a test run would otherwise build it again). Built aside and renamed into place,
 * so concurrent stacks never read a half-written folder.
 */
export async function cachedUi(): Promise<string> {
  const dir = join(tmpdir(), `hexarchive-ui-${sourceDigest()}`);
  if (existsSync(join(dir, "manifest.json"))) return dir;
  const scratch = `${dir}.${process.pid}.${Date.now()}`;
  await buildUi(scratch);
  try {
    renameSync(scratch, dir);
  } catch {
    // Another stack finished the same build first; its folder is as good.
    rmSync(scratch, { recursive: true, force: true });
  }
  return dir;
}

/** One line per file and the script+styles total against the budget. */
export function describeSizes(m: UiManifest): string {
  const lines = Object.entries(m.sizes).map(([f, s]) => `  ${f.padEnd(28)} ${s.bytes} B, ${s.gzip} B gzip`);
  const code = [m.js, m.css].reduce((n, f) => n + (m.sizes[f]?.gzip ?? 0), 0);
  const verdict = code <= BUDGET_GZIP_BYTES ? "within" : "OVER";
  lines.push(
    `  first load (script + styles, chunks load later): ${code} B gzip, ${verdict} the ${BUDGET_GZIP_BYTES} B budget`,
  );
  return lines.join("\n");
}

// `npm run ui [outDir]`: build and print the sizes.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = process.argv[2] ?? join(HERE, "..", ".data", "ui");
  const m = await buildUi(out);
  console.log(`Built the search page into ${out}:\n${describeSizes(m)}`);
}
