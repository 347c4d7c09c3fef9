// Items and collections as an export job holds them: as the API presents them (asset links to its own
// routes), then as shared/stac/exportable.ts leaves them for another catalogue to import.
import { exportableCollection, exportableItem } from "../stac/exportable.ts";
import type { StacCollection, StacItem } from "../stac/types.ts";

/** The API's presentation (shared/api/present.ts), passed in by the composition root. */
export interface Presenters {
  item(item: StacItem, base: string): StacItem;
  collection(c: StacCollection, base: string): StacCollection;
}

export function exportedItem(p: Presenters, item: StacItem, base: string): StacItem {
  return exportableItem(p.item(item, base));
}

export function exportedCollection(p: Presenters, c: StacCollection, base: string): StacCollection {
  return exportableCollection(p.collection(c, base));
}
