// The rows that the code before footprint tiles (issue #20) wrote for an item naming no tile: fine cell
// rows and group rows, or a medium item's group rows (level M). Catalogues indexed then still hold them.
import { cellRowKey, groupRowKey, timeRowKey } from "../../shared/index/keys.ts";
import { type IndexRow, itemCells, summarize } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";

export function olderRows(item: StacItem, version = "v1"): IndexRow[] {
  const summary = summarize(item, version);
  const { collection, id, datetime } = summary;
  const c = summary.geometry ? itemCells(summary.geometry) : { cells: [], groups: [], medium: false };
  return [
    { ...timeRowKey(collection, datetime, id), summary },
    ...c.cells.map((cell) => ({ ...cellRowKey(collection, cell, datetime, id), summary })),
    ...c.groups.map((cell) => ({
      ...groupRowKey(collection, cell, datetime, id),
      summary,
      ...(c.medium ? { level: "M" as const } : {}),
    })),
  ];
}
