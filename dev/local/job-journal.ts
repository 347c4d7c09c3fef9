// The local stack's record of the job invocations it started and has not ended (shared/jobs/starters.ts
// JobJournal), on disk under the data directory in the ingest queue's crash-safe log format
// (queue-journal.ts): a stack killed in the middle of a job starts that invocation again when it starts.

import { isJobEvent, type JobEvent } from "../../shared/jobs/model.ts";
import type { JobJournal } from "../../shared/jobs/starters.ts";
import { type JournalMessage, QueueJournal } from "./queue-journal.ts";

const idOf = (e: JobEvent) => `${e["hexarchive-job"].id}#${e["hexarchive-job"].run}`;

export function fileJobJournal(file: string): JobJournal {
  const log = new QueueJournal(file);
  const live = new Map<string, JournalMessage>();
  for (const m of log.open()) live.set(m.id, m);
  return {
    pending: () =>
      [...live.values()].flatMap((m) => {
        const e: unknown = JSON.parse(m.body);
        return isJobEvent(e) ? [e] : [];
      }),
    started(event) {
      const m = { id: idOf(event), body: JSON.stringify(event), receiveCount: 0, sentAt: Date.now() };
      live.set(m.id, m);
      log.sent(m);
    },
    ended(event) {
      if (!live.delete(idOf(event))) return;
      log.deleted(idOf(event), () => [...live.values()]);
    },
  };
}
