// A collection with nothing but its id, for tests about items and searches.
import { newCollection } from "../../shared/stac/new-collection.ts";
import type { StacCollection } from "../../shared/stac/types.ts";

export const testCollection = (id: string): StacCollection =>
  newCollection({ id, title: id, description: id, license: "other", providers: [], keywords: [] });
