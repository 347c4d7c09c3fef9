// Download lists for bulk tools: the files of a set of items as a Metalink 4 document (RFC 5854) or an
// aria2 input file, each with its size and checksums where known and a link that outlives a long run.
// The links are the API's own asset URLs (a 302 to a freshly presigned S3 URL on every request), signed
// for a signed-in caller with a long-lived asset signature, so `aria2c -c` keeps working after any
// presigned URL it was once given has expired.
import { MD5_FIELD } from "../products/assets.ts";
import type { Asset, StacItem } from "../stac/types.ts";
import { assetTarget } from "./targets.ts";

/** One file of a list. */
export interface ListFile {
  /** A relative path: the item's folder, then the file's own name. */
  name: string;
  url: string;
  size?: number | undefined;
  /** `[algorithm, hex]` in the names aria2 and Metalink share (`sha-256`, `md5`), strongest first. */
  hashes: [string, string][];
}

/** The multihash prefixes of `file:checksum` that aria2 and Metalink name. */
const MULTIHASH: [string, string][] = [
  ["1340", "sha-512"],
  ["1220", "sha-256"],
  ["1114", "sha-1"],
  ["d50110", "md5"],
];

/** `file:checksum` (a hex multihash) and the MD5 the archive keeps beside a stronger one. */
export function assetHashes(asset: Asset): [string, string][] {
  const out: [string, string][] = [];
  const mh = asset["file:checksum"];
  if (typeof mh === "string") {
    const hit = MULTIHASH.find(([prefix]) => mh.toLowerCase().startsWith(prefix));
    if (hit && /^[0-9a-f]+$/i.test(mh)) out.push([hit[1], mh.slice(hit[0].length).toLowerCase()]);
  }
  const md5 = asset[MD5_FIELD];
  if (typeof md5 === "string" && /^[0-9a-f]{32}$/i.test(md5) && !out.some(([a]) => a === "md5"))
    out.push(["md5", md5.toLowerCase()]);
  return out;
}

const safe = (s: string) => s.replace(/[^\w.-]+/g, "_").replace(/^\.+/, "_");

/**
 * The files of one stored item (s3 hrefs) that a list carries: the assets named in `keys`, or every
 * asset served from the archive. `link` writes the URL of one asset. Previews are listed without size
 * or hash: the API may convert them (JPEG 2000 → JPEG) on the way out.
 */
export function itemFiles(
  item: StacItem,
  link: (assetKey: string) => string,
  keys?: readonly string[],
): ListFile[] {
  const files: ListFile[] = [];
  const used = new Set<string>();
  for (const [key, asset] of Object.entries(item.assets)) {
    if (keys && !keys.includes(key)) continue;
    const t = assetTarget(item, undefined, key, asset);
    if (!t) continue;
    let file = safe(t.filename);
    if (used.has(file)) file = `${safe(key)}-${file}`;
    used.add(file);
    files.push({
      name: `${safe(item.id)}/${file}`,
      url: link(key),
      size: t.preview ? undefined : t.size,
      hashes: t.preview ? [] : assetHashes(asset),
    });
  }
  return files;
}

/** The aria2 input file (`aria2c -c -i list.txt`): each URI, then its options indented. */
export function renderAria2(files: ListFile[], now = new Date()): string {
  const lines = [
    `# hexarchive download list, ${files.length} files, ${now.toISOString()}`,
    "# aria2c -c -i <this file>   (links re-sign themselves: a resumed run after they expired still works)",
  ];
  for (const f of files) {
    lines.push(f.url, `  out=${f.name}`);
    // aria2 takes one checksum per file: the strongest.
    const h = f.hashes[0];
    if (h) lines.push(`  checksum=${h[0]}=${h[1]}`);
  }
  return `${lines.join("\n")}\n`;
}

const xml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );

/** The Metalink 4 document (RFC 5854). */
export function renderMetalink(files: ListFile[], now = new Date()): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<metalink xmlns="urn:ietf:params:xml:ns:metalink">',
    "  <generator>hexarchive</generator>",
    `  <published>${now.toISOString().replace(/\.\d+Z$/, "Z")}</published>`,
  ];
  for (const f of files) {
    // A relative path keeps each item's files in a folder of its own (RFC 5854 4.1.2.1).
    out.push(`  <file name="${xml(f.name)}">`);
    if (f.size !== undefined) out.push(`    <size>${f.size}</size>`);
    for (const [type, hex] of f.hashes) out.push(`    <hash type="${type}">${hex}</hash>`);
    out.push(`    <url>${xml(f.url)}</url>`, "  </file>");
  }
  out.push("</metalink>");
  return `${out.join("\n")}\n`;
}
