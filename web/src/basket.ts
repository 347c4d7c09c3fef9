// The basket: products collected across searches (kept in this browser), and its download list for
// aria2c (`aria2c -i list.txt`) or as a Metalink 4 file: every file with its name, size, checksum where
// known and a link. The list is the API's (POST /search/download-list, the same as `hexarchive
// download-list`); the page writes one itself only when the API cannot (basketList).
import type { Api, StacItem } from "./api.ts";

const KEY = "hexarchive.basket";

/** `collection/item` references. */
export function basketItems(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "[]") as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

export function setBasket(refs: string[]): void {
  localStorage.setItem(KEY, JSON.stringify([...new Set(refs)]));
}

/** A multihash (the STAC file extension's `file:checksum`) as aria2's `checksum=` option, if it knows it. */
export function aria2Checksum(multihash: string | undefined): string | undefined {
  if (!multihash) return undefined;
  const m = /^(1220|1340|d50110|1114)([0-9a-f]+)$/i.exec(multihash);
  if (!m) return undefined;
  const algorithm = { "1220": "sha-256", "1340": "sha-512", d50110: "md5", "1114": "sha-1" }[
    m[1]!.toLowerCase()
  ];
  return `${algorithm}=${m[2]!.toLowerCase()}`;
}

const safe = (s: string) => s.replace(/[^\w.-]+/g, "_");

const EXTENSIONS: [RegExp, string][] = [
  [/jp2/, ".jp2"],
  [/zip/, ".zip"],
  [/tiff/, ".tif"],
  [/png/, ".png"],
  [/jpeg/, ".jpg"],
  [/xml/, ".xml"],
  [/json/, ".json"],
  [/netcdf|x-hdf/, ".nc"],
];
const extension = (type: string | undefined) => EXTENSIONS.find(([re]) => re.test(type ?? ""))?.[1] ?? "";

/** One file of the basket's download lists. */
interface BasketFile {
  dir: string;
  out: string;
  href: string;
  size?: number | undefined;
  /** `[algorithm, hex]` in the names aria2 and Metalink share (`sha-256`, `md5`). */
  hash?: [string, string] | undefined;
}

/** Every file of the basket's products, with links fetched now (signed for a signed-in user). */
async function basketFiles(api: Api, refs: string[]): Promise<BasketFile[]> {
  const files: BasketFile[] = [];
  for (const ref of refs) {
    const [collection = "", ...rest] = ref.split("/");
    const id = rest.join("/");
    const item = await api.get<StacItem>(
      `/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}`,
    );
    for (const [key, asset] of Object.entries(item.assets)) {
      const checksum = aria2Checksum(asset["file:checksum"]);
      files.push({
        dir: safe(id),
        out: `${safe(key)}${extension(asset.type)}`,
        href: asset.href,
        size: asset["file:size"],
        hash: checksum ? (checksum.split("=") as [string, string]) : undefined,
      });
    }
  }
  return files;
}

/** The aria2 input file for the basket (`aria2c -c -i list.txt`), written here from the items' links. */
export async function aria2List(api: Api, refs: string[]): Promise<string> {
  const lines = [
    `# hexarchive basket, ${refs.length} products, ${new Date().toISOString()}`,
    "# aria2c -c -i <this file>",
  ];
  for (const f of await basketFiles(api, refs)) {
    lines.push(f.href, `  dir=${f.dir}`, `  out=${f.out}`);
    if (f.hash) lines.push(`  checksum=${f.hash.join("=")}`);
  }
  return `${lines.join("\n")}\n`;
}

const METALINK_NS = "urn:ietf:params:xml:ns:metalink";

/** The basket as a Metalink 4 document (RFC 5854), written here: each file with its size, hash and link. */
export async function metalinkList(api: Api, refs: string[]): Promise<string> {
  const doc = document.implementation.createDocument(METALINK_NS, "metalink", null);
  const root = doc.documentElement;
  const add = (parent: Element, name: string, text?: string, attrs: Record<string, string> = {}) => {
    const el = doc.createElementNS(METALINK_NS, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    parent.append(el);
    return el;
  };
  add(root, "generator", "hexarchive search page");
  add(root, "published", new Date().toISOString().replace(/\.\d+Z$/, "Z"));
  for (const f of await basketFiles(api, refs)) {
    // A relative path in the name keeps each product's files in a folder of its own (RFC 5854 4.1.2.1).
    const file = add(root, "file", undefined, { name: `${f.dir}/${f.out}` });
    if (f.size !== undefined) add(file, "size", String(f.size));
    if (f.hash) add(file, "hash", f.hash[1], { type: f.hash[0] });
    add(file, "url", f.href);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

export type ListFormat = "aria2" | "metalink";

const LIST_TYPES: Record<ListFormat, string> = {
  aria2: "text/plain",
  metalink: "application/metalink4+xml",
};

/** A download list of the basket, and who made it: the API, or (when it could not) this page. */
export interface BasketList {
  text: string;
  madeBy: "server" | "browser";
  /** Why the API's list could not be had, when the page made it. */
  why?: string;
}

/**
 * The basket's download list from the API (POST /search/download-list with the basket's ids and this
 * tab's credentials). Its links are refresh links, signed for the user and one asset for days, each
 * request redirecting to a freshly presigned URL, so a long or resumed `aria2c -c` run outlives them.
 * The page writes the list itself only when the API answers that it cannot make one: no such route
 * (an API older than download lists, or a front that does not pass it on), a basket over the list's
 * bound (400), a server error or no answer. Those links are the items' own, presigned or signed for
 * minutes, so that list is for a download started now. A 401 or 403 is no such case: the user may not
 * download these products, and a list written here would hold links refused the same way.
 */
export async function basketList(api: Api, refs: string[], format: ListFormat): Promise<BasketList> {
  const ids = refs.map((ref) => {
    const [collection = "", ...rest] = ref.split("/");
    return { collection, id: rest.join("/") };
  });
  const r = await api.postForText(`/search/download-list?format=${format}`, { ids }, LIST_TYPES[format]);
  if (r.status >= 200 && r.status < 300) return { text: r.text, madeBy: "server" };
  if (r.status === 401 || r.status === 403) throw new Error(r.description);
  const text = format === "aria2" ? await aria2List(api, refs) : await metalinkList(api, refs);
  return { text, madeBy: "browser", why: r.description };
}
