// Reads a synthetic archive back the way ingest does (readProduct over ranged reads of a lazy object).

import type { SyntheticArchive } from "../../dev/synthetic/index.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import { MemoryObjectStore } from "./memory-store.ts";

export async function readBack(a: SyntheticArchive) {
  const store = new MemoryObjectStore();
  const outcome = await readProduct({ store, object: store.putLazy(a.key, a.size, a.read) });
  if (outcome.kind !== "item") throw new Error(outcome.reason);
  return { item: outcome.item, store };
}
