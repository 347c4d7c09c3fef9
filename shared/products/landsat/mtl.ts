// Landsat Collection 2 MTL, in any of its three forms (json, xml, txt), as one flat map KEY → value.
import { ProductError } from "../../errors.ts";
import { parseXml } from "../xml.ts";

export type Mtl = Map<string, string>;

export function parseMtl(bytes: Uint8Array, document: string): Mtl {
  const text = new TextDecoder().decode(bytes);
  const out: Mtl = new Map();
  if (/\.json$/i.test(document)) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new ProductError(`malformed JSON in ${document}: ${(err as Error).message}`);
    }
    flatten(doc, out);
  } else if (/\.xml$/i.test(document)) {
    flatten(parseXml(text, document), out);
  } else {
    for (const m of text.matchAll(/^\s*([A-Z0-9_]+)\s*=\s*"?([^"\r\n]*)"?\s*$/gm)) {
      // First occurrence wins: PRODUCT_CONTENTS comes before the LEVEL1_* records that reuse key names.
      if (m[1] !== "GROUP" && m[1] !== "END_GROUP" && !out.has(m[1]!)) out.set(m[1]!, m[2]!);
    }
  }
  if (!out.has("LANDSAT_PRODUCT_ID")) throw new ProductError(`${document} has no LANDSAT_PRODUCT_ID`);
  return out;
}

function flatten(node: unknown, out: Mtl): void {
  if (!node || typeof node !== "object") return;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (v && typeof v === "object") flatten(v, out);
    else if (v !== undefined && v !== null && !out.has(k)) out.set(k, String(v));
  }
}
