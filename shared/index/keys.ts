// Every DynamoDB key the catalogue writes or reads is built here, and only here.
//
// Layout (one table, pk/sk strings):
//   COL            | <collectionId>                          collection record
//   I#<coll>       | <itemId>                                item record (the full STAC item)
//   C#<coll>       | <datetime>~<itemId>                     time-ordered index row per item
//   S#<cell[:3+P]> | <cellKey>~<datetime>~<coll>~<itemId>    spatial index rows (H3, prefix-preserving)
//   O#<objectKey>  | O                                       which item an object produced; S3 sequencer
//   F              | <objectKey>                             ingest failure record
import { CATALOGUE_TABLE } from "./table.ts";

export const PK = CATALOGUE_TABLE.partitionKey.name;
export const SK = CATALOGUE_TABLE.sortKey.name;

/** Cells at this resolution or finer share a partition with their ancestor at this resolution. */
export const PARTITION_RES = 2;

export interface Key {
  pk: string;
  sk: string;
}

const SEP = "~";
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

export function spatialPartition(cellKey: string): string {
  return `S#${cellKey.slice(0, 3 + PARTITION_RES)}`;
}
export const spatialRowKey = (cellKey: string, datetime: string, collection: string, id: string): Key => ({
  pk: spatialPartition(cellKey),
  sk: `${cellKey}${SEP}${datetime}${SEP}${collection}${SEP}${id}`,
});
/** Rows of exactly this cell with datetimes in [from, to]. */
export const exactCellRange = (cellKey: string, from: string, to: string): [string, string] => [
  `${cellKey}${SEP}${from}`,
  `${cellKey}${SEP}${to}${SEP}${HIGH}`,
];
/** begins_with prefix for the rows of a cell and all its descendants (children's digits follow directly). */
export const descendantPrefix = (cellKey: string): string => cellKey;
/**
 * Rows of the strict descendants of a cell (a digit follows the key, whereas the cell's own rows have
 * the separator there, which sorts after every digit). These rows are not in time order.
 */
export const strictDescendantRange = (cellKey: string): [string, string] => [
  `${cellKey}0`,
  `${cellKey}6${HIGH}`,
];
/**
 * Sort-key prefix before the datetime in a time-ordered range: exact-cell rows carry `<cell>~`, time
 * rows nothing. Index times are fixed-width, so the datetime of any such sort key is a fixed slice.
 */
export const cellTimePrefix = (cellKey: string): string => `${cellKey}${SEP}`;
export const TIME_ROW_PREFIX = "";
export const INDEX_TIME_LENGTH = 24;
/** Datetime of a sort key in a time-ordered range with the given prefix. */
export const datetimeOfSortKey = (sk: string, prefix: string): string =>
  sk.slice(prefix.length, prefix.length + INDEX_TIME_LENGTH);
/** Upper sort-key bound for rows with the given prefix and datetimes up to `to` (inclusive). */
export const upToTime = (prefix: string, to: string): string => `${prefix}${to}${SEP}${HIGH}`;

export const objectKey = (key: string): Key => ({ pk: `O#${key}`, sk: "O" });

export const failureKey = (key: string): Key => ({ pk: "F", sk: key });
export const failuresPartition = "F";
