// Search areas in normal form, one object per distinct area for a while: a request giving an area this
// instance saw lately (the next page of a search, a map panned back) gets the very object, so that its
// cell covers (computed once per object, shared/index/cells.ts areaCoverKeys) are not computed again.
// The objects are frozen: no reader may change an area another request holds.
import type { Geometry } from "../stac/types.ts";

/** Areas kept, and the longest spelling kept (a large polygon is normalised per request). */
export const AREA_INTERN = { maxEntries: 64, maxKeyChars: 16_384 } as const;

const held = new Map<string, Geometry>();

function deepFreeze<T>(x: T): T {
  if (x && typeof x === "object" && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/** The area `key` (its exact input spelling) stands for: the held object, or `make()`'s, held from now on. */
export function internArea(key: string, make: () => Geometry): Geometry {
  if (key.length > AREA_INTERN.maxKeyChars) return make();
  const found = held.get(key);
  if (found) {
    // Most recently used last: the oldest is forgotten first.
    held.delete(key);
    held.set(key, found);
    return found;
  }
  const g = deepFreeze(make());
  held.set(key, g);
  while (held.size > AREA_INTERN.maxEntries) held.delete(held.keys().next().value!);
  return g;
}
