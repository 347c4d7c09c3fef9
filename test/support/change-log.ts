// STAND-IN for the change log (issue 22, helper "feed": DynamoDB, on another branch when this was
// written). Every test reaches the log through `testChangeLog()` only, so that after the merge this one
// function changes: return the real reader over the test's table, and make `record` a no-op (the
// catalogue's writes then log themselves, durably and in order).
import type { ChangeLogReader, ChangePage, ItemChange } from "../../shared/storage/changes.ts";

export interface TestChangeLog {
  reader: ChangeLogReader;
  /** Tells the log of a write the test made through the catalogue (the real log records it by itself). */
  record(c: Omit<ItemChange, "cursor" | "at"> & { at?: string }): void;
}

/** An in-memory log: cursors are zero-padded positions, `since` is exclusive. */
export function testChangeLog(_table?: { doc: unknown; table: string }): TestChangeLog {
  const log: ItemChange[] = [];
  return {
    record(c) {
      log.push({
        ...c,
        at: c.at ?? new Date().toISOString(),
        cursor: String(log.length + 1).padStart(12, "0"),
      });
    },
    reader: {
      async readChanges({ since, collection, limit }): Promise<ChangePage> {
        const from = since === undefined ? 0 : Number(since);
        const rest = log.slice(from).filter((c) => collection === undefined || c.collection === collection);
        const changes = rest.slice(0, limit);
        const last = changes[changes.length - 1];
        return rest.length > changes.length && last ? { changes, next: last.cursor } : { changes };
      },
    },
  };
}
