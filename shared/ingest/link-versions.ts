// Reprocessed versions at ingest: the stored versions of an item's acquisition (products/versions.ts)
// are found by a search of its collection, area and time, and all are linked as one chain, oldest first.
// Versions whose links change are written again through the normal item write (the change log records
// an `updated`); every version stays indexed.
import { UNRESTRICTED } from "../auth/authorize.ts";
import { TransientError } from "../errors.ts";
import type { ItemSummary } from "../index/rows.ts";
import { itemVersion, versionChain, withVersionLinks } from "../products/versions.ts";
import { parseSearch } from "../search/request.ts";
import { matchingSummaries } from "../search/search.ts";
import type { StacItem } from "../stac/types.ts";
import type { Catalogue } from "../storage/catalogue.ts";
import { indexItem, withRecordDates } from "./index-item.ts";

/** Versions of one acquisition start within this of each other (the key, not the window, decides). */
const WINDOW_MS = 3600_000;
/** More versions of one acquisition than this are not expected; beyond it, some are left unlinked. */
const MAX_VERSIONS = 100;

export interface LinkVersionsDeps {
  catalogue: Catalogue;
  now(): Date;
}

export interface Linked {
  /** The item to write, with its version links (unchanged when it has no other version). */
  item: StacItem;
  /** Writes the other versions whose links change; call once the item itself is written. */
  relink(): Promise<number>;
}

export async function linkVersions(deps: LinkVersionsDeps, item: StacItem): Promise<Linked> {
  const others = await otherVersions(deps, item);
  if (others.length === 0) return { item, relink: async () => 0 };
  const chain = versionChain([...others, item]);
  return { item: withVersionLinks(item, chain), relink: () => rewrite(deps, others, chain) };
}

/** After a version was removed: the others are linked without it (the previous one is latest again). */
export async function unlinkVersion(deps: LinkVersionsDeps, removed: StacItem): Promise<number> {
  const others = await otherVersions(deps, removed);
  return others.length === 0 ? 0 : rewrite(deps, others, versionChain(others));
}

/**
 * The stored versions of the item's acquisition but itself, as index summaries: found without reading
 * any item record (only those whose links change are read, to be written again).
 */
async function otherVersions(deps: LinkVersionsDeps, item: StacItem): Promise<ItemSummary[]> {
  const version = itemVersion(item);
  const p = item.properties;
  const start = Date.parse(String(p["start_datetime"] ?? p.datetime));
  const end = Date.parse(String(p["end_datetime"] ?? p.datetime ?? p["start_datetime"]));
  if (!version || !item.geometry || Number.isNaN(start) || Number.isNaN(end)) return [];
  // The collection's first item: nothing to link yet (indexItem creates the collection).
  if (!(await deps.catalogue.getCollection(item.collection!))) return [];
  const req = parseSearch(
    {
      collections: [item.collection!],
      intersects: item.geometry,
      datetime: `${new Date(start - WINDOW_MS).toISOString()}/${new Date(end + WINDOW_MS).toISOString()}`,
      versions: "all",
    },
    { source: "body" },
  );
  const found = await matchingSummaries(deps.catalogue, req, UNRESTRICTED);
  return found.filter((o) => o.id !== item.id && itemVersion(o)?.key === version.key).slice(0, MAX_VERSIONS);
}

/** Writes the versions whose links change, through the normal item write; returns how many. */
async function rewrite(deps: LinkVersionsDeps, others: ItemSummary[], chain: string[]): Promise<number> {
  let written = 0;
  for (const other of others) {
    const stored = await deps.catalogue.getItem(other.collection, other.id);
    if (!stored?.source) continue;
    const source = stored.source;
    const linked = withVersionLinks(stored.item, chain);
    if (JSON.stringify(linked) === JSON.stringify(stored.item)) continue;
    // Same version and source: the record changes, not who owns it; conditional on the one read.
    await indexItem(
      {
        catalogue: deps.catalogue,
        describeCollection: (id) => {
          throw new TransientError(`collection '${id}' vanished while linking versions`);
        },
      },
      withRecordDates(linked, stored, deps.now()),
      { version: stored.version, source, expected: stored },
    );
    written++;
  }
  return written;
}
