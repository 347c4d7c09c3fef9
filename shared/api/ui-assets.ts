// The search page's built files (web/build.ts), read from a folder: the local stack builds them at start,
// the API function carries them in its bundle.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The folder beside the API function's bundle that holds the built page (cdk/constructs/catalogue-api.ts). */
export const UI_FOLDER = "ui";

/** How a deployment configures the page beyond its built files. */
export interface UiOptions {
  /**
   * A basemap tile service (URL template with {z}/{x}/{y}, e.g. from shared/config.ts); none: the
   * packaged outline only, and the page asks nothing of any other host.
   */
  tiles?: { url: string; attribution?: string | undefined } | undefined;
  /**
   * Origins besides https: that quicklook images may come from (the local stack's presign front, on
   * plain http); the page's Content-Security-Policy admits them.
   */
  imageOrigins?: string[] | undefined;
}

export interface UiAssets extends UiOptions {
  /** Hashed names of the page's script, styles, basemap outline and country outlines. */
  manifest: { js: string; css: string; land: string; countries: string };
  /** A built file by name, or undefined; names are hashed, so any answer may be cached for good. */
  file(name: string): { bytes: Uint8Array; type: string } | undefined;
}

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json",
  png: "image/png",
  svg: "image/svg+xml",
};

/** A built file name: no path, one extension the page uses. */
const FILE_NAME = /^[A-Za-z0-9_-]+\.(js|css|json|png|svg)$/;

/** The assets in `dir`, or undefined when it holds no build (the page is then simply not offered). */
export function folderUiAssets(dir: string, options: UiOptions = {}): UiAssets | undefined {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as UiAssets["manifest"];
  const cache = new Map<string, { bytes: Uint8Array; type: string }>();
  return {
    ...options,
    manifest,
    file(name) {
      const m = FILE_NAME.exec(name);
      if (!m || name === "manifest.json") return undefined;
      const hit = cache.get(name);
      if (hit) return hit;
      const path = join(dir, name);
      if (!existsSync(path)) return undefined;
      const entry = { bytes: readFileSync(path), type: TYPES[m[1]!]! };
      cache.set(name, entry);
      return entry;
    },
  };
}
