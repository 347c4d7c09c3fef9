// One NDJSON line of a bulk load made ready to write, or refused with a reason: the checks the
// Transactions API applies to an item (validateStacItem, storable sizes, the STAC schemas it declares),
// its DHuS UUID and record dates, then its index rows. Pure and self-contained, so that a load may run
// it in worker threads; nothing of a refused line is written.

import { geometryBBox, normalizeGeometry } from "../geo/normalize.ts";
import { withProductUuid } from "../index/product-uuid.ts";
import { buildItemRows, type ItemSummary } from "../index/rows.ts";
import { API_SOURCE } from "../products/object-home.ts";
import { validateStacItem } from "../products/sidecar/read-sidecar.ts";
import { contentHash } from "../stac/content-hash.ts";
import { requireItemSchemas } from "../stac/item-schemas.ts";
import { checkStorableItem } from "../stac/storable-item.ts";
import type { BBox, Geometry, StacItem } from "../stac/types.ts";
import type { BulkEntry } from "../storage/dynamo-bulk-load.ts";
import type { NdjsonLine } from "./ndjson-lines.ts";

/** What a line holds: an item ready to write, a collection, nothing, or a reason to refuse it. */
export type PreparedLine = { line: number; end: number } & (
  | { kind: "item"; entry: BulkEntry; summary: ItemSummary }
  | { kind: "collection"; collection: Record<string, unknown> }
  | { kind: "blank" }
  | { kind: "bad"; reason: string }
);

/** Links the API derives from its own URL: not stored (as validate-item.ts drops them). */
const DERIVED_RELS = new Set(["self", "parent", "collection", "root"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Prepares one line. `version` stamps the item's rows and record (one per batch: an id met again in a
 * later batch then leaves rows that searches ignore); `now` sets `created` and `updated` where the item
 * has none (an export's items keep theirs).
 */
export async function prepareLine(l: NdjsonLine, version: string, now: string): Promise<PreparedLine> {
  const at = { line: l.line, end: l.end };
  if (l.text.trim() === "") return { ...at, kind: "blank" };
  let raw: unknown;
  try {
    raw = JSON.parse(l.text);
  } catch (e) {
    return { ...at, kind: "bad", reason: `not JSON (${(e as Error).message})` };
  }
  if (isObject(raw) && raw["type"] === "Collection") {
    if (typeof raw["id"] !== "string" || raw["id"] === "")
      return { ...at, kind: "bad", reason: "collection id must be a non-empty string" };
    return { ...at, kind: "collection", collection: raw };
  }
  try {
    const item = await checkedItem(raw);
    const props = item.properties;
    const dated: StacItem = {
      ...item,
      properties: { ...props, created: props["created"] ?? now, updated: props["updated"] ?? now },
    };
    const stored = withProductUuid(dated);
    const built = buildItemRows(stored, version);
    return {
      ...at,
      kind: "item",
      entry: {
        item: stored,
        rows: built.rows,
        record: built.record,
        version,
        source: API_SOURCE,
        hash: contentHash(stored),
      },
      summary: built.summary,
    };
  } catch (e) {
    return { ...at, kind: "bad", reason: (e as Error).message };
  }
}

async function checkedItem(raw: unknown): Promise<StacItem> {
  const fail = (field: string, why: string) => new Error(`${field} ${why}`);
  if (!isObject(raw)) throw fail("item", "must be a JSON object (a STAC Item or Collection)");
  if (typeof raw["collection"] !== "string" || raw["collection"] === "")
    throw fail("collection", "must name the item's collection");
  // Catalogues exported by other tools often leave out the bbox (STAC requires it with a geometry): it
  // is the geometry's, so it is filled in rather than the item refused.
  if (raw["bbox"] === undefined && isObject(raw["geometry"]) && Array.isArray(raw["geometry"]["coordinates"]))
    raw = { ...raw, bbox: boxOf(raw["geometry"] as unknown as Geometry, fail) };
  const item = validateStacItem(raw, fail, (href, field) => {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(href))
      throw fail(field, `must be an absolute URL (s3://bucket/key or https://…), got '${href}'`);
    return href;
  });
  item.links.forEach((link: unknown, i) => {
    if (!isObject(link) || typeof link["rel"] !== "string" || typeof link["href"] !== "string")
      throw fail(`links[${i}]`, "must be an object with string rel and href");
  });
  const stored = checkStorableItem(
    { ...item, links: item.links.filter((k) => !DERIVED_RELS.has(k.rel)) },
    fail,
  );
  await requireItemSchemas(stored, fail);
  return stored;
}

function boxOf(g: Geometry, fail: (field: string, why: string) => Error): BBox {
  try {
    return geometryBBox(normalizeGeometry(g));
  } catch (e) {
    throw fail("geometry", `is not a valid geometry (${(e as Error).message})`);
  }
}

/** Prepares a batch of lines (in this thread; a load may pass one that uses workers instead). */
export const prepareLines = (lines: NdjsonLine[], version: string, now: string): Promise<PreparedLine[]> =>
  Promise.all(lines.map((l) => prepareLine(l, version, now)));
