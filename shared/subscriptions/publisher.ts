// Every change, published as it is dispatched (SNS on AWS, an in-process bus locally) with attributes a
// consumer filters on without reading the body: collection, event type, platform and coarse H3 cells.
import { adaptiveCover, keyToCell } from "../index/cells.ts";
import { summarize } from "../index/rows.ts";
import type { StacItem } from "../stac/types.ts";
import type { ItemChange } from "../storage/changes.ts";

/** Cells of resolution ≤ 2 (≈ 87,000 km² each), at most this many: SNS allows 10 attributes of 256 KB. */
const CELLS = { maxCells: 8, minRes: 0, maxRes: 2 } as const;

export interface ChangeMessage {
  /** The change as the log holds it. */
  change: ItemChange;
  attributes: {
    collection: string;
    event: ItemChange["kind"];
    platform?: string;
    /** H3 cell indexes (hex) covering the footprint; empty: no footprint, or the deleted item is gone. */
    cells: string[];
  };
}

export interface ChangePublisher {
  publish(messages: ChangeMessage[]): Promise<void>;
}

export function changeMessage(change: ItemChange, item: StacItem | undefined): ChangeMessage {
  const geometry = item ? summarize(item, "").geometry : null;
  const cover = geometry ? adaptiveCover(geometry, CELLS).keys.filter((k) => k !== "") : [];
  const platform = item?.properties["platform"];
  return {
    change,
    attributes: {
      collection: change.collection,
      event: change.kind,
      ...(typeof platform === "string" ? { platform } : {}),
      cells: cover.map(keyToCell),
    },
  };
}

/** The local stack's topic: listeners in this process, called in order; a failing one is logged, not fatal. */
export class InProcessBus implements ChangePublisher {
  private readonly listeners: ((m: ChangeMessage) => void)[] = [];

  subscribe(listener: (m: ChangeMessage) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  async publish(messages: ChangeMessage[]): Promise<void> {
    for (const m of messages)
      for (const l of this.listeners) {
        try {
          l(m);
        } catch {
          // A listener's failure is its own; the topic goes on.
        }
      }
  }
}
