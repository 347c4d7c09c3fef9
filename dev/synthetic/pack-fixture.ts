// Packs a product folder from disk (e.g. a fixture `X.SAFE`) into a zip in memory. Files the manifest
// lists (fileLocation href) but the folder lacks become small zero-filled placeholders.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { normalizePath } from "../../shared/products/source/product-source.ts";
import { planToBytes } from "../../shared/zip/zip-output.ts";
import { planZip, type ZipInput } from "../../shared/zip/zip-writer.ts";

export function listFolder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out;
}

/** Paths the manifest lists, relative to the product root. */
export function manifestFiles(manifestXml: string): string[] {
  return [...manifestXml.matchAll(/<(?:\w+:)?fileLocation[^>]*\bhref="([^"]+)"/g)].map((m) =>
    normalizePath(m[1]!),
  );
}

export function packFolderEntries(dir: string, opts: { placeholderSize?: number } = {}): ZipInput[] {
  const root = dir.split(/[\\/]/).filter(Boolean).at(-1)!;
  const present = listFolder(dir);
  const inputs: ZipInput[] = present.map((p) => ({ name: `${root}/${p}`, data: readFileSync(join(dir, p)) }));
  const manifest = present.find((p) => p === "manifest.safe" || p === "xfdumanifest.xml");
  if (manifest) {
    const have = new Set(present);
    for (const p of manifestFiles(readFileSync(join(dir, manifest), "utf8"))) {
      if (p && !have.has(p)) {
        have.add(p);
        inputs.push({ name: `${root}/${p}`, zeros: opts.placeholderSize ?? 64 });
      }
    }
  }
  return inputs;
}

export function packFolderToZip(dir: string, opts: { placeholderSize?: number } = {}): Uint8Array {
  return planToBytes(planZip(packFolderEntries(dir, opts)));
}
