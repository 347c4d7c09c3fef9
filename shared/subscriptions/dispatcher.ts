// Reads the change log from the stored cursor, matches each change against the subscriptions and puts
// one event per match into that subscription's queue, then moves the cursor. Enqueueing is idempotent
// (each change keeps its sequence number across re-runs), so a run cut short is simply run again:
// at least once, in log order per subscription.
import type { Logger } from "../log.ts";
import type { StacItem } from "../stac/types.ts";
import { itemRef, type StoredItem } from "../storage/catalogue.ts";
import type { ChangeLogReader, ItemChange } from "../storage/changes.ts";
import { eventOf } from "./events.ts";
import { SubscriptionMatcher } from "./matcher.ts";
import { compileSearch, type Subscription } from "./model.ts";
import { type ChangePublisher, changeMessage } from "./publisher.ts";
import type { SubscriptionStore } from "./store.ts";

export interface DispatchDeps {
  changes: ChangeLogReader;
  items: { getItems(keys: { collection: string; id: string }[]): Promise<Map<string, StoredItem>> };
  store: SubscriptionStore;
  /** The change topic (SNS, the local bus); absent: nothing is published. */
  publisher?: ChangePublisher | undefined;
  log: Logger;
}

export interface DispatchResult {
  changes: number;
  enqueued: number;
}

type Compiled = { s: Subscription } & ReturnType<typeof compiled>;
const compiled = (s: Subscription) => ({
  id: s.id,
  events: s.events,
  search: compileSearch(s.search),
  cells: s.cells,
});

/** Builds the matcher from every subscription (one partition read per run); ones that no longer parse are skipped. */
async function loadMatcher(deps: DispatchDeps) {
  const subs: Compiled[] = [];
  for (const s of await deps.store.listAll()) {
    try {
      subs.push({ s, ...compiled(s) });
    } catch (err) {
      deps.log.warn("subscription skipped: its search no longer parses", { id: s.id, error: String(err) });
    }
  }
  return { matcher: new SubscriptionMatcher(subs), byId: new Map(subs.map((c) => [c.id, c])) };
}

/** One page of changes: the subscriptions each one reaches. */
async function dispatchPage(
  deps: DispatchDeps,
  m: Awaited<ReturnType<typeof loadMatcher>>,
  changes: ItemChange[],
  firstSeq: number,
): Promise<number> {
  const live = changes.filter((c) => c.kind !== "deleted");
  const items = await deps.items.getItems(live.map((c) => ({ collection: c.collection, id: c.id })));
  const stored = (c: ItemChange) =>
    c.kind === "deleted" ? undefined : items.get(itemRef(c.collection, c.id));
  // Stored items may leave their collection out: the change names it.
  const itemOf = (c: ItemChange): StacItem | undefined => {
    const item = stored(c)?.item;
    return item && { ...item, collection: c.collection };
  };
  await deps.publisher?.publish(changes.map((c) => changeMessage(c, itemOf(c))));
  let enqueued = 0;
  for (const [i, c] of changes.entries()) {
    const item = itemOf(c);
    let targets: Compiled[];
    let told: string[] = [];
    if (c.kind === "deleted") {
      // The deleted item is gone: its deletion goes to the subscriptions that were told of it.
      told = await deps.store.toldSubscriptions(c.collection, c.id);
      targets = told
        .map((id) => m.byId.get(id))
        .filter((s): s is Compiled => s?.events.includes("deleted") === true);
    } else if (item) targets = m.matcher.match(item, c.kind);
    else targets = []; // deleted since: its deletion follows in the log.
    for (const t of targets) {
      // The item as stored now may be newer than this change: then the event carries no item body.
      const current = item && stored(c)?.version === c.version ? item : undefined;
      const body = JSON.stringify(eventOf(t.id, c, current));
      const product = itemRef(c.collection, c.id);
      const queued = { seq: firstSeq + i, body, eventId: c.cursor, product, attempts: 0 };
      if (await deps.store.enqueue(t.s, queued)) enqueued++;
      if (c.kind !== "deleted") await deps.store.told(c.collection, c.id, t.id);
    }
    // Enqueued (idempotently) before forgetting: a run cut short here re-enqueues nothing new.
    if (told.length > 0) await deps.store.forgetTold(c.collection, c.id, told);
  }
  return enqueued;
}

/** Dispatches up to `maxChanges` changes from the stored cursor; returns what it did. */
export async function dispatchChanges(
  deps: DispatchDeps,
  o: { pageSize?: number | undefined; maxChanges?: number | undefined } = {},
): Promise<DispatchResult> {
  const pageSize = o.pageSize ?? 100;
  const maxChanges = o.maxChanges ?? 1000;
  let state = await deps.store.dispatchState();
  const m = await loadMatcher(deps);
  const result: DispatchResult = { changes: 0, enqueued: 0 };
  while (result.changes < maxChanges) {
    const page = await deps.changes.readChanges({
      ...(state.cursor === undefined ? {} : { since: state.cursor }),
      limit: pageSize,
    });
    if (page.changes.length === 0) break;
    result.enqueued += await dispatchPage(deps, m, page.changes, state.seq);
    result.changes += page.changes.length;
    const cursor = page.next ?? page.changes[page.changes.length - 1]!.cursor;
    state = { cursor, seq: state.seq + page.changes.length };
    await deps.store.saveDispatchState(state);
    if (!page.next) break;
  }
  return result;
}
