// What `import` reads from another catalogue: pages of items (and of products that could not be
// turned into items), each page naming the next by a cursor that a checkpoint can hold as JSON.
import type { FoundItem } from "../../search-query.ts";

/** One thing read from the source: an item, or something it served that is not one (and why). */
export type Entry = { item: FoundItem } | { failed: { name: string; reason: string } };

export interface SourcePage {
  entries: Entry[];
  /** The next page's cursor; undefined after the last page. */
  next: unknown;
}

export interface ImportSource {
  /** Says what is read, for messages and to tell one import's checkpoint from another's. */
  describe: string;
  /** The collections to create in the target before any item (those searched, or all). */
  collections(): Promise<Record<string, unknown>[]>;
  /** One collection by id (an item's collection that was not created before), or undefined. */
  collection(id: string): Promise<Record<string, unknown> | undefined>;
  /** The page at `cursor` (undefined: the first). The same cursor reads the same page again. */
  page(cursor: unknown): Promise<SourcePage>;
}
