// The files inside a zipped product, as DHuS's `Nodes('a')/Nodes('b')` tree: the zip's central
// directory is read by range, and one member is read (and inflated) only when asked for.
import { NotFoundError } from "../errors.ts";
import { cachingReader, openZip, readZipMember, type ZipArchive, type ZipEntry } from "../zip/index.ts";
import type { ObjectReader } from "./deps.ts";
import type { DhusProduct } from "./product.ts";

export type NodeHit =
  | { kind: "file"; name: string; entry: ZipEntry }
  | { kind: "dir"; name: string; children: string[] };

export async function openProductZip(objects: ObjectReader, p: DhusProduct): Promise<ZipArchive> {
  const a = p.archive;
  if (!a?.zipped || a.size === 0)
    throw new NotFoundError(`product ${p.uuid} is not a zip archive: it has no nodes`);
  return openZip(cachingReader({ size: a.size, read: (s, e) => objects.getRange(a.bucket, a.key, s, e) }));
}

/** The node at a path of names (the first is the SAFE/SEN3 folder), or undefined. */
export function findNode(zip: ZipArchive, names: string[]): NodeHit | undefined {
  const path = names.join("/");
  const name = names[names.length - 1] ?? "";
  const file = zip.entries.find((e) => !e.isDirectory && e.name === path);
  if (file) return { kind: "file", name, entry: file };
  const prefix = `${path}/`;
  const children = new Set<string>();
  for (const e of zip.entries) {
    if (!e.name.startsWith(prefix)) continue;
    const child = e.name.slice(prefix.length).split("/")[0];
    if (child) children.add(child);
  }
  return children.size > 0 ? { kind: "dir", name, children: [...children].sort() } : undefined;
}

export function readNode(zip: ZipArchive, entry: ZipEntry): Promise<Uint8Array> {
  return readZipMember(zip, entry);
}
