// One view of a product's files whatever its packaging (zip, tar, or objects in a folder), so that the
// mission readers do not care how the product arrived.
import { ProductError } from "../../errors.ts";
import type { Asset } from "../../stac/types.ts";

export interface SourceFile {
  /** Path relative to the product's root folder, e.g. `GRANULE/L1C_…/MTD_TL.xml`. */
  path: string;
  size: number;
}

export interface ProductSource {
  /** The product's root folder name, e.g. `S2A_MSIL1C_….SAFE`; "" when there is none. */
  readonly root: string;
  readonly files: SourceFile[];
  /** Reads one (metadata) file; refuses a file that is absent or too large. */
  read(path: string): Promise<Uint8Array>;
  /** An asset for one file: its href, and where it sits inside the archive when there is one. */
  asset(path: string, fields: Omit<Asset, "href">): Asset;
  /** Assets for the product as a whole (the archive), if it is one object. */
  productAssets(): Record<string, Asset>;
}

export function hasFile(source: ProductSource, path: string): boolean {
  return source.files.some((f) => f.path === path);
}

export function findFile(source: ProductSource, test: RegExp): SourceFile | undefined {
  return source.files.find((f) => test.test(f.path));
}

export function requireFile(source: ProductSource, test: RegExp, what: string): SourceFile {
  const f = findFile(source, test);
  if (!f) throw new ProductError(`missing ${what} in product ${source.root || "(no root folder)"}`);
  return f;
}

export async function readText(source: ProductSource, path: string): Promise<string> {
  return new TextDecoder().decode(await source.read(path));
}

/** Resolves `./a/../b` style paths from manifests against the product root. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}
