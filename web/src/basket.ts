// The basket: products collected across searches (kept in this browser), and its download list for
// aria2c (`aria2c -i list.txt`): every file with fresh links, its name and, where known, its checksum.
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

/** The aria2 input file for the basket, with links fetched now (signed for a signed-in user). */
export async function aria2List(api: Api, refs: string[]): Promise<string> {
  const lines = [
    `# hexarchive basket, ${refs.length} products, ${new Date().toISOString()}`,
    "# aria2c -c -i <this file>",
  ];
  for (const ref of refs) {
    const [collection = "", ...rest] = ref.split("/");
    const id = rest.join("/");
    const item = await api.get<StacItem>(
      `/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}`,
    );
    for (const [key, asset] of Object.entries(item.assets)) {
      lines.push(asset.href, `  dir=${safe(id)}`, `  out=${safe(key)}${extension(asset.type)}`);
      const checksum = aria2Checksum(asset["file:checksum"]);
      if (checksum) lines.push(`  checksum=${checksum}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
