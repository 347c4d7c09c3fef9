// Reprocessed versions: which items are the same acquisition processed again (an acquisition key read
// from the product's own name), and which of them is newer (a version rank).
//
// Only names whose parts are documented are grouped; anything else has no key and is never linked.
// ERA5/GRIB files have none: their items carry no variable or product name (the file name is the
// uploader's), so two different variables of one month could not be told apart from a revision.
import type { StacItem } from "../stac/types.ts";

export const VERSION_EXTENSION = "https://stac-extensions.github.io/version/v1.2.0/schema.json";

/** What a version is read from: an item, or its index summary (shared/index/rows.ts). */
export interface VersionedItem {
  id: string;
  collection?: string | undefined;
  properties: Record<string, unknown>;
}

export interface ItemVersion {
  /** The same for every processing of one datatake/tile/acquisition; includes the collection. */
  key: string;
  /** Orders versions of one key: the greater is the newer (compare with compareRanks). */
  rank: string[];
}

// S2A_MSIL2A_20230625T234621_N0509_R073_T01WCP_20230626T022157: baseline and generation time vary.
const S2 =
  /^(S2[A-D])_(MSIL1C|MSIL2A|MSIL1B)_(\d{8}T\d{6})_N(\d{4})_(R\d{3})_(T\d{2}[A-Z]{3})_(\d{8}T\d{6})$/;
// S1A_IW_GRDH_1SDV_<start>_<stop>_<abs orbit>_<datatake>_<unique id>: only the unique id varies.
const S1 =
  /^(S1[A-D]_[A-Z0-9]{2}_[A-Z0-9_]{4}_[A-Z0-9_]{4}_\d{8}T\d{6}_\d{8}T\d{6}_\d{6}_[0-9A-F]{6})_[0-9A-F]{4}$/;
// S3A_OL_1_EFR____<start>_<stop>_<creation>_<instance>_<centre>_<class>_<timeliness>_<baseline>.
const S3 =
  /^(S3[A-D]_[A-Z0-9_]{2}_[0-9_]_[A-Z0-9_]{6})_(\d{8}T\d{6})_(\d{8}T\d{6})_(\d{8}T\d{6})_([A-Z0-9_]{17})_([A-Z0-9_]{3})_([A-Z_])_(NR|ST|NT|__)_(\d{3})$/;
/** A non-time-critical product replaces the near-real-time one of the same acquisition. */
const S3_TIMELINESS = ["__", "NR", "ST", "NT"];

/** The item's acquisition key and version rank, or undefined when it has none that can be trusted. */
export function itemVersion(item: VersionedItem): ItemVersion | undefined {
  const collection = item.collection ?? "";
  const id = item.id.replace(/\.(SAFE|SEN3)$/, "");
  const s2 = S2.exec(id);
  if (s2) {
    const [, mission, level, start, baseline, orbit, tile, generated] = s2;
    return {
      key: `${collection}/${mission}_${level}_${start}_${orbit}_${tile}`,
      rank: [baseline!, generated!],
    };
  }
  const s1 = S1.exec(id);
  if (s1) {
    const processed = item.properties["processing:datetime"];
    return { key: `${collection}/${s1[1]}`, rank: [typeof processed === "string" ? processed : ""] };
  }
  const s3 = S3.exec(id);
  if (s3) {
    const [, type, start, stop, created, instance, , cls, timeliness, baseline] = s3;
    return {
      key: `${collection}/${type}_${start}_${stop}_${instance}_${cls}`,
      rank: [baseline!, String(S3_TIMELINESS.indexOf(timeliness!)), created!],
    };
  }
  return undefined;
}

/** Negative when `a` is older than `b`; ties broken by the item id so that the order is total. */
export function compareVersions(
  a: { id: string; version: ItemVersion },
  b: { id: string; version: ItemVersion },
) {
  const n = Math.max(a.version.rank.length, b.version.rank.length);
  for (let i = 0; i < n; i++) {
    const x = a.version.rank[i] ?? "";
    const y = b.version.rank[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The version extension's link relations; their hrefs are stored as `./{id}` and served absolute. */
export const VERSION_RELS = ["latest-version", "predecessor-version", "successor-version"] as const;

/** The ids of one acquisition's versions, oldest first. */
export function versionChain(items: VersionedItem[]): string[] {
  return items
    .flatMap((i) => {
      const version = itemVersion(i);
      return version ? [{ id: i.id, version }] : [];
    })
    .sort(compareVersions)
    .map((v) => v.id);
}

/**
 * The item with its place in `chain` (ids oldest first): links to the latest, the previous and the next
 * version, `deprecated` when a newer one exists, and the version extension declared. Other links stay.
 */
export function withVersionLinks(item: StacItem, chain: string[]): StacItem {
  const at = chain.indexOf(item.id);
  if (at < 0) return item;
  const isVersionLink = (l: { rel: string }) => (VERSION_RELS as readonly string[]).includes(l.rel);
  if (chain.length < 2) {
    // The only version left: what made it one of several goes.
    if (!item.links.some(isVersionLink) && item.properties["deprecated"] === undefined) return item;
    const { deprecated: _, ...properties } = item.properties;
    const rest = (item.stac_extensions ?? []).filter((e) => e !== VERSION_EXTENSION);
    const { stac_extensions: _e, ...bare } = item;
    return {
      ...bare,
      ...(rest.length ? { stac_extensions: rest } : {}),
      properties,
      links: item.links.filter((l) => !isVersionLink(l)),
    };
  }
  const link = (rel: string, id: string) => ({
    rel,
    href: `./${encodeURIComponent(id)}`,
    type: "application/geo+json",
  });
  const latest = chain.at(-1)!;
  const links = [
    ...item.links.filter((l) => !isVersionLink(l)),
    ...(latest !== item.id ? [link("latest-version", latest)] : []),
    ...(at > 0 ? [link("predecessor-version", chain[at - 1]!)] : []),
    ...(at < chain.length - 1 ? [link("successor-version", chain[at + 1]!)] : []),
  ];
  const extensions = item.stac_extensions ?? [];
  return {
    ...item,
    stac_extensions: extensions.includes(VERSION_EXTENSION) ? extensions : [...extensions, VERSION_EXTENSION],
    properties: { ...item.properties, deprecated: latest !== item.id },
    links,
  };
}
