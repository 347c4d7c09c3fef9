// The search page's built files (web/build.ts), read from a folder: the local stack builds them at start,
// the API function carries them in its bundle.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The folder beside the API function's bundle that holds the built page (cdk/constructs/catalogue-api.ts). */
export const UI_FOLDER = "ui";

export interface UiAssets {
  /** Hashed names of the page's script, styles and basemap outline. */
  manifest: { js: string; css: string; land: string };
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
export function folderUiAssets(dir: string): UiAssets | undefined {
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return undefined;
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as UiAssets["manifest"];
  const cache = new Map<string, { bytes: Uint8Array; type: string }>();
  return {
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
