// Every DynamoDB key the catalogue writes or reads is built here, and only here.
//
// Layout (one table, pk/sk strings):
//   COL                   | <collectionId>                 collection record (+ `lv`: index levels in use)
//   I#<coll>              | <itemId>                       item record (the full STAC item)
//   C#<coll>              | <datetime>~<itemId>            time row per item, in time order
//   S#<coll>#<cell[:3+2]> | <cell>~<datetime>~<itemId>     cell row: the item touches / is covered by <cell>
//   S#<coll>#<cell[:3+2]> | <cell>^<datetime>~<itemId>     group row: the item touches res-2 <cell> finely
//   S#<coll>#<base cell>  | <base cell>^<datetime>~<itemId> base row: an item up to coarse size touches it
//   P#<coll>#<tile>       | <datetime>~<itemId>            tile row: the item is a revisit of grid tile <tile>
//   N#<coll>              | B<base cell>                   row counts of the collection in that base cell (`B`: items, by quarter)
//   N#<coll>              | T<res-2 cell>#<tile>           tile footprint: bbox of the tile's items there
//   N#<coll>              | R                              checkpoint of the collection's base-rows reindex
//   O#<objectKey>         | O                              which item an object produced; S3 sequencer; ingest lease
//   K#<coll>␀<itemId>     | <objectKey>                    an object that describes the item (two may)
//   F                     | <objectKey>                    ingest failure record
//   L#<user>              | L                              a user's download leases (concurrency limit)
//   D#<yyyy-mm>           | <time>~<nonce>                 one download record (statistics)
//   U#<yyyy-mm>#<shard>   | U                              search-parameter usage counters of a month, one shard
//   H#<yyyy-mm-dd>        | <cursor>                       change log, catalogue-wide, one partition per UTC day
//   H#<yyyy-mm-dd>#<coll> | <cursor>                       the same change, in its collection's log of that day
//   M#<origin>            | <scope>                        a mirror's cursor in another catalogue's change feed
//   X#<coll>              | <itemId>                       tombstone: a deleted item's footprint, dates and cause
//   XT#<coll>             | <datetime>~<itemId>            a tombstone by its item's datetime (DHuS UUID → 410)
//   WS#                   | <owner>␀<subscriptionId>       a subscription (its search, delivery, health)
//   WQ#<subscriptionId>   | <seq>                          an event waiting for delivery (or a pull)
//   WX#<subscriptionId>   | <seq>                          an event given up on (dead letter)
//   WP#<coll>␀<itemId>    | <subscriptionId>               the subscription was told of the product (deletions)
//   WD#                   | cursor                         the dispatcher's place in the change log
//   J#<jobId>             | J                              a background job (export, import): owner, status, checkpoint
//
// Each kind of partition has a prefix of its own (PARTITION_PREFIXES), so a partition key names its kind
// and IAM grants writes by kind: the API, which must not change the index, may write only the partitions
// in API_WRITABLE_PREFIXES (cdk/constructs/catalogue-api.ts builds its `dynamodb:LeadingKeys` from them).
//
// Every spatial range is `<cell><sep><from>` … `<cell><sep><to>~\uffff`: time-ordered and
// time-bounded, so no search ever reads rows of other years or other collections.
import { CATALOGUE_TABLE } from "./table.ts";

/**
 * The partition-key prefix of each kind of partition. None is a prefix of another, so no key of one kind
 * can fall under another kind's prefix (test/index/partition-prefixes.test.ts checks every key builder).
 * `COL` and `F` are whole partition keys.
 */
export const PARTITION_PREFIXES = {
  collections: "COL",
  items: "I#",
  timeRows: "C#",
  spatialRows: "S#",
  tileRows: "P#",
  rowCounts: "N#",
  objects: "O#",
  failures: "F",
  leases: "L#",
  downloads: "D#",
  searchUsage: "U#",
  changes: "H#",
  mirrors: "M#",
  tombstones: "X#",
  tombstoneTimes: "XT#",
  subscriptions: "WS#",
  subscriptionQueues: "WQ#",
  deadLetters: "WX#",
  toldProducts: "WP#",
  dispatcher: "WD#",
  jobs: "J#",
} as const;
export type PartitionKind = keyof typeof PARTITION_PREFIXES;

/**
 * The only partitions the public API function writes: download leases, download records and search
 * usage counters. Never the index (items, rows, counts) nor ingest's state (objects, failures).
 */
export const API_WRITABLE_PREFIXES: readonly string[] = [
  PARTITION_PREFIXES.leases,
  PARTITION_PREFIXES.downloads,
  PARTITION_PREFIXES.searchUsage,
  // Users create and delete their subscriptions, acknowledge pulled events and drop dead letters.
  PARTITION_PREFIXES.subscriptions,
  PARTITION_PREFIXES.subscriptionQueues,
  PARTITION_PREFIXES.deadLetters,
  // Users create export jobs; operators create import jobs (run by the jobs function).
  PARTITION_PREFIXES.jobs,
];
/** The subscriptions function: it enqueues, delivers and keeps its cursor; it reads items, never writes them. */
export const SUBSCRIPTIONS_WRITABLE_PREFIXES: readonly string[] = [
  PARTITION_PREFIXES.subscriptions,
  PARTITION_PREFIXES.subscriptionQueues,
  PARTITION_PREFIXES.deadLetters,
  PARTITION_PREFIXES.toldProducts,
  PARTITION_PREFIXES.dispatcher,
];
/** The MD5 function only completes item records (and logs that it changed them). */
export const MD5_WRITABLE_PREFIXES: readonly string[] = [
  PARTITION_PREFIXES.items,
  PARTITION_PREFIXES.changes,
];

/** IAM `StringLike` patterns for `dynamodb:LeadingKeys` that match exactly the partitions of these prefixes. */
export const leadingKeyPatterns = (prefixes: readonly string[]): string[] => prefixes.map((p) => `${p}*`);

export const PK = CATALOGUE_TABLE.partitionKey.name;
export const SK = CATALOGUE_TABLE.sortKey.name;

/** Cells at this resolution or finer share a partition with their ancestor at this resolution. */
export const PARTITION_RES = 2;
/** Items small enough are indexed by the cells of this resolution they touch (fine rows). */
export const FINE_RES = 3;
/** Fine items also get one group row per cell of this resolution they touch, for large search areas. */
export const GROUP_RES = 2;

export interface Key {
  pk: string;
  sk: string;
}

const SEP = "~";
const GROUP_SEP = "^";
/** Sorts after every character used in keys' fixed parts. */
export const HIGH = "\uffff";

export const collectionKey = (collection: string): Key => ({ pk: "COL", sk: collection });
export const collectionsPartition = "COL";

export const itemKey = (collection: string, id: string): Key => ({ pk: `I#${collection}`, sk: id });
export const itemsPartition = (collection: string) => `I#${collection}`;

export const timeRowKey = (collection: string, datetime: string, id: string): Key => ({
  pk: timePartition(collection),
  sk: `${datetime}${SEP}${id}`,
});
export const timePartition = (collection: string) => `C#${collection}`;
/** Sort-key bounds on the time rows of one collection for datetimes in [from, to]. */
export const timeRange = (from: string, to: string): [string, string] => [from, `${to}${SEP}${HIGH}`];

export function spatialPartition(collection: string, cellKey: string): string {
  return `S#${collection}#${cellKey.slice(0, 3 + PARTITION_RES)}`;
}

/**
 * Index levels, recorded per collection so that searches skip levels a collection never uses:
 * "R" root (globe), "0"–"2" cells of that resolution, "3" fine rows, "G" group rows of fine items,
 * "M" group rows of medium items (which have no finer rows: a fine-level search must read their group
 * ranges too). "G" and "M" rows share keys and ranges; only the item's class tells them apart
 * (IndexRow.level). "P" tile rows; "B" base rows: every item up to coarse size (tile, fine, medium,
 * coarse) also has a group row on each res-0 cell it touches, so that a large area (a continent, a
 * polar cap) reads a few spatial ranges rather than every collection's time rows.
 */
export type Level = "R" | "0" | "1" | "2" | "3" | "G" | "M" | "P" | "B";
export const ALL_LEVELS: readonly Level[] = ["R", "0", "1", "2", "3", "G", "M", "P", "B"];
/** Levels whose rows are all in res-0 cell or root ranges: the base layout serves them without base rows. */
export const BASE_RANGE_LEVELS: readonly Level[] = ["R", "0"];
export const levelOfCell = (cellKey: string): Level =>
  cellKey === "" ? "R" : (String(Math.min(FINE_RES, cellKey.length - 3)) as Level);

export const cellRowKey = (collection: string, cellKey: string, datetime: string, id: string): Key => ({
  pk: spatialPartition(collection, cellKey),
  sk: `${cellKey}${SEP}${datetime}${SEP}${id}`,
});
export const groupRowKey = (collection: string, cellKey: string, datetime: string, id: string): Key => ({
  pk: spatialPartition(collection, cellKey),
  sk: `${cellKey}${GROUP_SEP}${datetime}${SEP}${id}`,
});
/** Base row: an item up to coarse size touches this res-0 cell (level "B"; a group row of a base cell). */
export const baseRowKey = (collection: string, baseCell: string, datetime: string, id: string): Key =>
  groupRowKey(collection, baseCell, datetime, id);

/**
 * Tile rows: revisits of one fixed grid tile (a Sentinel-2 MGRS tile, a Landsat WRS-2 path/row) share
 * a footprint, so they are indexed once by tile, in time order. A search finds the tiles its area
 * touches from the tile footprints (`tileFootprintKey`) read with the row counts.
 */
export const tilePartition = (collection: string, tile: string) =>
  `${PARTITION_PREFIXES.tileRows}${collection}#${tile}`;
export const tileRowKey = (collection: string, tile: string, datetime: string, id: string): Key => ({
  pk: tilePartition(collection, tile),
  sk: `${datetime}${SEP}${id}`,
});
/**
 * Footprint tiles: an item that names no tile (no grid code, no relative orbit: items imported from
 * other catalogues often name none) revisits the tile of its footprint, found from the footprint itself
 * (shared/index/rows.ts `footprintTileOf`): the H3 cell of this resolution holding its bbox's centre
 * (≈ 12,000 km², a Sentinel-2 tile's size: a tile's edge passes, whose centres lie up to 40 km from
 * its full passes', mostly share it, and revisits shifted by a few km nearly always), and its area's
 * power of four (a 10 km scene and a 100 km one centred there stay apart).
 */
export const FOOTPRINT_TILE_RES = 3;
export const footprintTileCode = (areaClass: number, cellKey: string): string => `FP${areaClass}-${cellKey}`;
/** The largest area (km²) of a footprint tile's items, by its code's class; undefined for other tiles. */
export function footprintTileAreaKm2(tile: string): number | undefined {
  const m = /^FP(\d+)-\d+$/.exec(tile);
  return m ? 4 ** (Number(m[1]) + 1) : undefined;
}
/** Sort-key prefix before the datetime of a tile row. */
export const TILE_ROW_PREFIX = "";

/**
 * Cloud bands: a tile item with `eo:cloud_cover` ≤ t also gets a row in its tile's partition under the
 * sort-key prefix `c<t>#`, for each t here. Nearly every optical search filters on cloud cover (e.g.
 * sentinelsat's `cloudcoverpercentage=(0, 30)`); a search whose filter bounds it by at most t reads
 * the tile's band t, which holds only such items, instead of all revisits. Bands are nested (an item
 * at 5 % is in both), so a search reads one range per tile whatever its bound.
 */
export const CLOUD_BANDS = [10, 30] as const;
export const cloudBandPrefix = (band: number): string => `c${band}#`;
export const cloudBandRowKey = (
  collection: string,
  tile: string,
  band: number,
  datetime: string,
  id: string,
): Key => ({ pk: tilePartition(collection, tile), sk: `${cloudBandPrefix(band)}${datetime}${SEP}${id}` });
/** The band of a tile partition's row (undefined for the tile row itself). */
export const cloudBandOfRow = (k: Key): number | undefined => {
  const m = /^c(\d+)#/.exec(k.sk);
  return k.pk.startsWith("P#") && m ? Number(m[1]) : undefined;
};

/**
 * Footprint of a tile's items in one res-2 cell: the bounding box of every item of the tile touching
 * that cell (it only grows), written before the item's rows, plus a count of its items there. Keyed by
 * the item's group cells: an item meeting a search area at p shares p's res-2 cell with the area.
 */
export const tileFootprintKey = (collection: string, cell: string, tile: string): Key => ({
  pk: statsPartition(collection),
  sk: `T${cell}#${tile}`,
});
/** Sort-key bounds of the tile footprints of one collection in one res-2 cell. */
export const tileFootprintRange = (cell: string): [string, string] => [`T${cell}#`, `T${cell}#${HIGH}`];
/**
 * Sort-key bounds that read the tile footprints of these res-2 cells: one range per res-1 parent, from
 * its first to its last cell in the set (siblings are adjacent keys, so a range may also hold
 * footprints of siblings outside the set: filter by `cellOfFootprintKey`).
 */
export function tileFootprintRanges(cells: Iterable<string>): [string, string][] {
  const byParent = new Map<string, string[]>();
  for (const c of cells) {
    const siblings = byParent.get(c.slice(0, -1)) ?? [];
    siblings.push(c);
    byParent.set(c.slice(0, -1), siblings);
  }
  return [...byParent.values()].map((cs) => {
    cs.sort();
    return [tileFootprintRange(cs[0]!)[0], tileFootprintRange(cs[cs.length - 1]!)[1]];
  });
}
export const tileOfFootprintKey = (sk: string): string => sk.slice(sk.indexOf("#") + 1);
export const cellOfFootprintKey = (sk: string): string => sk.slice(1, sk.indexOf("#"));

/** Level of a spatial row from its sort key; undefined for other rows. */
export function levelOfRow(k: Key): Level | undefined {
  if (k.pk.startsWith("P#")) return "P";
  if (!k.pk.startsWith("S#")) return undefined;
  const m = /^(\d*)([~^])/.exec(k.sk);
  if (!m) return undefined;
  if (m[2] === GROUP_SEP) return m[1]!.length === 3 ? "B" : "G";
  return levelOfCell(m[1]!);
}

/**
 * Row counts kept for the planner's page sizes: per collection, level and cell of STATS_RES (coarser
 * rows: their own cell; res 2 because a national archive is dense over a few res-2 cells and sparse
 * elsewhere, and a coarser count would spread it), summed over all time. Stored as numeric attributes
 * `n_<level>_<cell>` on one small record per collection and base cell (`statsKey`; time rows and root
 * rows on the base-cell-less record), in a partition of their own so that reading collection records
 * stays cheap: a search reads only the records of its area's base cells.
 */
export const STATS_RES = 2;
export const statsPartition = (collection: string) => `N#${collection}`;
export const statsKey = (collection: string, baseCell: string): Key => ({
  pk: statsPartition(collection),
  sk: `B${baseCell}`,
});
/**
 * Checkpoint of the reindex that gives a collection indexed before base rows its base rows
 * (shared/storage/dynamo-base-rows.ts): the last item record done, and the rows it counted so far.
 */
export const reindexKey = (collection: string): Key => ({ pk: statsPartition(collection), sk: "R" });
/** The sort keys of a collection's row-count records (its tile footprints share the partition). */
export const statsRecordRange: [string, string] = ["B", `B${HIGH}`];
export const baseCellOfStatsKey = (sk: string): string => sk.slice(1);
export const collectionOfStatsPartition = (pk: string): string => pk.slice(statsPartition("").length);
export const statName = (level: Level, cell: string): string => `n_${level}_${cell}`;
/**
 * What a collection's index holds, recorded on its record when its first spatial rows are written (a
 * collection indexed by older code lacks it, and its searches use neither): 2 = every tile item has
 * its cloud-band rows, and every row's counter is added before the row is written, so a counter that
 * is absent from a record read means its level and cell hold no rows (a search skips the range);
 * 3 = also every item up to coarse size has its base rows (level "B"), so a search may read a
 * collection's base ranges instead of its time rows (a collection indexed before keeps 2: its older
 * items have none).
 */
export const INDEX_FEATURES = 3;
/** The feature level from which absent counters mean empty ranges (and tile items have cloud bands). */
export const COUNTED_ROWS_FEATURE = 2;
/** The feature level from which every item up to coarse size has its base rows (level "B"). */
export const BASE_ROWS_FEATURE = 3;

/** Counter of time rows (one per item). */
export const TIME_STAT = "n_T";
/** Counters of tile rows and of their cloud bands' rows (collection-wide). */
export const TILE_STAT = "n_P";
export const cloudBandStat = (band: number): string => `n_P_c${band}`;
/**
 * Counters of time rows by quarter of their datetime (`n_t_2024Q2`): the collection's rate over time.
 * Quarters, not months: they share the record of `n_T`, which every ingest updates, and a write costs
 * 1 WCU per KB of the record (by attribute sizes, 50 years of quarters are about 3 KB of it; of months, 9 KB).
 */
export const QUARTER_STAT_PREFIX = "n_t_";
export const quarterStatName = (datetime: string): string =>
  `${QUARTER_STAT_PREFIX}${datetime.slice(0, 4)}Q${Math.floor((Number(datetime.slice(5, 7)) - 1) / 3) + 1}`;
/** Stat counter (name, base cell of its record) of an index row; undefined for other keys. */
export function statOfRow(
  k: Key & { level?: Level | undefined },
): { name: string; base: string } | undefined {
  if (k.pk.startsWith("C#")) return { name: TIME_STAT, base: "" };
  const level = k.level ?? levelOfRow(k);
  // Tile rows are counted per tile on their tile footprints, and collection-wide (with their cloud
  // bands: the share of tile items in each band) on the record of the time rows.
  if (level === "P") {
    const band = cloudBandOfRow(k);
    return { name: band === undefined ? TILE_STAT : cloudBandStat(band), base: "" };
  }
  if (level === undefined) return undefined;
  const cell = /^\d*/.exec(k.sk)![0];
  const at = cell.slice(0, Math.min(cell.length, 3 + STATS_RES));
  return { name: statName(level, at), base: at.slice(0, 3) };
}

/** Every counter an index row adds to: its stat, and for time rows their quarter's. */
export function rowStats(k: Key & { level?: Level | undefined }): { name: string; base: string }[] {
  const st = statOfRow(k);
  if (!st) return [];
  return k.pk.startsWith("C#") ? [st, { name: quarterStatName(k.sk), base: "" }] : [st];
}

/** Sort-key prefix before the datetime of a cell row / group row of this cell. */
export const cellTimePrefix = (cellKey: string): string => `${cellKey}${SEP}`;
export const groupTimePrefix = (cellKey: string): string => `${cellKey}${GROUP_SEP}`;
export const TIME_ROW_PREFIX = "";
export const INDEX_TIME_LENGTH = 24;
/** Sort-key bounds for rows with this time prefix and datetimes in [from, to]. */
export const prefixedTimeRange = (prefix: string, from: string, to: string): [string, string] => [
  `${prefix}${from}`,
  `${prefix}${to}${SEP}${HIGH}`,
];
/** Cell rows of exactly this cell with datetimes in [from, to]. */
export const exactCellRange = (cellKey: string, from: string, to: string): [string, string] =>
  prefixedTimeRange(cellTimePrefix(cellKey), from, to);
/** Datetime of a sort key in a time-ordered range with the given prefix. */
export const datetimeOfSortKey = (sk: string, prefix: string): string =>
  sk.slice(prefix.length, prefix.length + INDEX_TIME_LENGTH);
/** Upper sort-key bound for rows with the given prefix and datetimes up to `to` (inclusive). */
export const upToTime = (prefix: string, to: string): string => `${prefix}${to}${SEP}${HIGH}`;

export const objectKey = (key: string): Key => ({ pk: `O#${key}`, sk: "O" });

/** Objects describing one item: usually one, two while a product is moved or uploaded twice. */
export const linksPartition = (collection: string, id: string) => `K#${collection}\u0000${id}`;
export const linkKey = (collection: string, id: string, key: string): Key => ({
  pk: linksPartition(collection, id),
  sk: key,
});

export const failureKey = (key: string): Key => ({ pk: "F", sk: key });
export const failuresPartition = "F";

export const leaseKey = (user: string): Key => ({ pk: `${PARTITION_PREFIXES.leases}${user}`, sk: "L" });

/** Download records are partitioned by month: operators' queries span whole months. */
export const downloadsPartition = (month: string) => `${PARTITION_PREFIXES.downloads}${month}`;
export const downloadKey = (time: string, nonce: string): Key => ({
  pk: downloadsPartition(time.slice(0, 7)),
  sk: `${time}${SEP}${nonce}`,
});
/** Sort-key bounds on one month's download records with times in [from, to]. */
export const downloadRange = (from: string, to: string): [string, string] => [from, `${to}${SEP}${HIGH}`];

/**
 * Search-parameter counters of a month are spread over this many records, one chosen at random per
 * search: every search adds to them, and one record (one partition) takes about 1,000 writes per second.
 * The statistics add the shards up (shared/stats/search-counters.ts).
 */
export const SEARCH_USAGE_SHARDS = 8;
export const searchParamsKey = (month: string, shard: number): Key => ({
  pk: `${PARTITION_PREFIXES.searchUsage}${month}#${shard}`,
  sk: "U",
});
/** The one record of a month's counters before they were sharded: read, no longer written. */
export const unshardedSearchParamsKey = (month: string): Key => ({
  pk: `${PARTITION_PREFIXES.searchUsage}${month}`,
  sk: "U",
});
/**
 * Where the counters of a month were kept before they had a prefix of their own (`P#` is the tile rows').
 * Read, never written: the API may no longer write there, and the statistics add it in.
 */
export const legacySearchParamsKey = (month: string): Key => ({ pk: `P#${month}`, sk: "P" });
/** Every record a month's counters may be in: its shards, and where they were kept before. */
export const searchParamsKeys = (month: string): Key[] => [
  ...Array.from({ length: SEARCH_USAGE_SHARDS }, (_, shard) => searchParamsKey(month, shard)),
  unshardedSearchParamsKey(month),
  legacySearchParamsKey(month),
];

/**
 * The change log (shared/storage/dynamo-change-log.ts): each change is written twice, to the catalogue-wide
 * partition of its UTC day and to its collection's, under the same sort key, its cursor
 * `<RFC 3339 ms time>~<nonce>`. Cursors sort as strings in time order, and the day of a cursor names its
 * partitions, so a reader walks days forward from any cursor. A day's partition takes about 500 changes
 * per second (two writes each: intent and confirmation); a national archive ingests a few per second.
 */
export const changesPartition = (day: string, collection?: string): string =>
  `${PARTITION_PREFIXES.changes}${day}${collection === undefined ? "" : `#${collection}`}`;
export const changeKeys = (cursor: string, collection: string): Key[] => [
  { pk: changesPartition(cursor.slice(0, 10)), sk: cursor },
  { pk: changesPartition(cursor.slice(0, 10), collection), sk: cursor },
];
export const CURSOR_SEP = SEP;

/** Where `npm run mirror` keeps how far it has read another catalogue's feed (scope: `*` or a collection). */
export const mirrorCursorKey = (origin: string, scope: string): Key => ({
  pk: `${PARTITION_PREFIXES.mirrors}${origin}`,
  sk: scope,
});
/** Tombstones: what stays of a deleted item (shared/storage/tombstones.ts), one partition per collection. */
export const tombstonesPartition = (collection: string) => `${PARTITION_PREFIXES.tombstones}${collection}`;
export const tombstoneKey = (collection: string, id: string): Key => ({
  pk: tombstonesPartition(collection),
  sk: id,
});
/**
 * A tombstone's pointer by its item's index datetime: a product UUID carries that instant (shared/index/
 * product-uuid.ts), so the DHuS facade finds a deleted product's tombstone with one small query.
 */
export const tombstoneTimePartition = (collection: string) =>
  `${PARTITION_PREFIXES.tombstoneTimes}${collection}`;
export const tombstoneTimeKey = (collection: string, datetime: string, id: string): Key => ({
  pk: tombstoneTimePartition(collection),
  sk: `${datetime}${SEP}${id}`,
});
export const collectionOfTombstonesPartition = (pk: string): string =>
  pk.slice(PARTITION_PREFIXES.tombstones.length);
/**
 * Subscriptions live in one partition (a few thousand small records: the dispatcher reads them all per
 * run, operators list them, an owner's are one sort-key range), by owner then id.
 */
export const subscriptionsPartition = PARTITION_PREFIXES.subscriptions;
export const subscriptionKey = (owner: string, id: string): Key => ({
  pk: subscriptionsPartition,
  sk: `${owner}\u0000${id}`,
});
/** Sort-key bounds of one owner's subscriptions. */
export const ownerSubscriptionsRange = (owner: string): [string, string] => [
  `${owner}\u0000`,
  `${owner}\u0000${HIGH}`,
];
/** The owner and id of a subscription record's sort key. */
export function ownerAndIdOfSubscription(sk: string): { owner: string; id: string } {
  const at = sk.lastIndexOf("\u0000");
  return { owner: sk.slice(0, at), id: sk.slice(at + 1) };
}
/** Events of a subscription in the order they were enqueued: a zero-padded sequence number sorts as text. */
export const eventSequence = (seq: number): string => String(seq).padStart(15, "0");
export const queuePartition = (subscription: string) =>
  `${PARTITION_PREFIXES.subscriptionQueues}${subscription}`;
export const queueKey = (subscription: string, seq: number): Key => ({
  pk: queuePartition(subscription),
  sk: eventSequence(seq),
});
export const deadLetterPartition = (subscription: string) =>
  `${PARTITION_PREFIXES.deadLetters}${subscription}`;
export const deadLetterKey = (subscription: string, seq: string): Key => ({
  pk: deadLetterPartition(subscription),
  sk: seq,
});
/** Which subscriptions were told of a product: its deletion goes to them (the deleted item cannot be matched). */
export const toldPartition = (collection: string, id: string) =>
  `${PARTITION_PREFIXES.toldProducts}${collection}\u0000${id}`;
export const toldKey = (collection: string, id: string, subscription: string): Key => ({
  pk: toldPartition(collection, id),
  sk: subscription,
});
export const dispatcherKey: Key = { pk: PARTITION_PREFIXES.dispatcher, sk: "cursor" };
/** A background job (shared/jobs/): one record, read by id; its owner is a field, checked by the API. */
export const jobKey = (id: string): Key => ({ pk: `${PARTITION_PREFIXES.jobs}${id}`, sk: "J" });
