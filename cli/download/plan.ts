// What `download` fetches: files with a name (relative path), a URL, and size and checksums where
// known; from the API's own download lists (a search or ids, asked for in baskets of ≤ 1000 items), from
// a product's file listing (a glob of files inside products), or from an aria2/Metalink file.
import { readFileSync } from "node:fs";
import { CliError, UsageError } from "../errors.ts";
import { type Api, apiError } from "../http.ts";
import type { FoundItem } from "../search-query.ts";

export interface PlannedFile {
  name: string;
  url: string;
  size?: number | undefined;
  /** `[algorithm, hex]`: sha-256, sha-1, sha-512 or md5. */
  hashes: [string, string][];
}

/** A shell-style glob as a regular expression: `**` crosses folders, `*` and `?` do not. */
export function globRegex(glob: string): RegExp {
  let re = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      re += ".*";
      i++;
      if (glob[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** The asset keys of an item the selection names (globs allowed); none named: `product`, else all but previews. */
export function selectAssets(item: FoundItem, patterns: string[]): string[] {
  const keys = Object.keys(item.assets);
  if (patterns.length > 0) {
    const res = patterns.map(globRegex);
    return keys.filter((k) => res.some((r) => r.test(k)));
  }
  if (keys.includes("product")) return ["product"];
  return keys.filter((k) => !(item.assets[k]!.roles ?? []).includes("thumbnail") && k !== "thumbnail");
}

const unxml = (s: string) =>
  s.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e]!,
  );

/** A Metalink 4 document's files. */
export function parseMetalink(text: string): PlannedFile[] {
  const files: PlannedFile[] = [];
  for (const m of text.matchAll(/<file\s+name="([^"]*)"\s*>([\s\S]*?)<\/file>/g)) {
    const body = m[2]!;
    const url = /<url[^>]*>([^<]+)<\/url>/.exec(body)?.[1];
    if (!url) continue;
    const size = /<size>(\d+)<\/size>/.exec(body)?.[1];
    const hashes = [...body.matchAll(/<hash\s+type="([^"]+)"\s*>([0-9a-fA-F]+)<\/hash>/g)].map(
      (h) => [h[1]!.toLowerCase(), h[2]!.toLowerCase()] as [string, string],
    );
    files.push({ name: unxml(m[1]!), url: unxml(url.trim()), size: size ? Number(size) : undefined, hashes });
  }
  return files;
}

/** An aria2 input file's URIs with their `out=` and `checksum=` options. */
export function parseAria2(text: string): PlannedFile[] {
  const files: PlannedFile[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    if (/^\s/.test(line)) {
      const f = files[files.length - 1];
      const [k, ...rest] = line.trim().split("=");
      const v = rest.join("=");
      if (!f) continue;
      if (k === "out") f.name = v;
      if (k === "checksum") {
        const [algo = "", hex = ""] = v.split("=");
        f.hashes.push([algo.toLowerCase(), hex.toLowerCase()]);
      }
      continue;
    }
    const url = line.trim().split(/\t/)[0]!;
    files.push({
      name: decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "file"),
      url,
      hashes: [],
    });
  }
  return files;
}

export function readListFile(path: string): PlannedFile[] {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (e) {
    throw new UsageError(`--list ${path}: ${(e as Error).message}`);
  }
  const files = /<metalink[\s>]/.test(text) ? parseMetalink(text) : parseAria2(text);
  if (files.length === 0) throw new UsageError(`--list ${path}: no files in it (a Metalink 4 or aria2 list)`);
  return files;
}

const LIST_BASKET = 1000;

/** The chosen assets of the items, as the API's download lists describe them (names, sizes, checksums). */
export async function assetFiles(api: Api, items: FoundItem[], patterns: string[]): Promise<PlannedFile[]> {
  const files: PlannedFile[] = [];
  const byKeys = new Map<string, FoundItem[]>();
  for (const item of items) {
    const keys = selectAssets(item, patterns);
    if (keys.length === 0) continue;
    const k = JSON.stringify(keys);
    byKeys.set(k, [...(byKeys.get(k) ?? []), item]);
  }
  for (const [k, group] of byKeys)
    for (let i = 0; i < group.length; i += LIST_BASKET) {
      const ids = group.slice(i, i + LIST_BASKET).map((it) => ({ collection: it.collection, id: it.id }));
      const res = await api.fetch("/search/download-list?format=metalink", {
        method: "POST",
        body: { ids, assets: JSON.parse(k) },
      });
      if (!res.ok) throw await apiError(res);
      files.push(...parseMetalink(await res.text()));
    }
  return files;
}

const safe = (s: string) => s.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "_");

/** Files inside the items' products whose paths match one of the globs (the API's file listing). */
export async function productFiles(api: Api, items: FoundItem[], globs: string[]): Promise<PlannedFile[]> {
  const res = globs.map(globRegex);
  const files: PlannedFile[] = [];
  for (const item of items) {
    const c = encodeURIComponent(item.collection);
    const id = encodeURIComponent(item.id);
    let listing: { files: { path: string; size?: number; href: string }[] };
    try {
      listing = await api.json(`/collections/${c}/items/${id}/files`);
    } catch (e) {
      throw new CliError(
        `the files of ${item.collection}/${item.id}: ${(e as Error).message}`,
        (e as CliError).exitCode,
      );
    }
    for (const f of listing.files)
      if (res.some((r) => r.test(f.path)))
        files.push({ name: `${safe(item.id)}/${f.path}`, url: f.href, size: f.size, hashes: [] });
  }
  return files;
}
