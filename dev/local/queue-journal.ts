// The local ingest queue's messages on disk: an append-only log of sends, receives and deletes under
// the data directory, so that stopping `npm start` (Ctrl-C, kill -9) loses no pending event.
//
// Crash consistency: each record is one line written with a single write(2) before the queue acts on
// it, so a killed process leaves every acknowledged send in the file (the OS holds it; a power cut may
// lose what was not yet flushed, and a torn last line is ignored on reading). The log is compacted
// by writing the live messages to a temporary file, fsyncing it and renaming it over the log: a crash
// at any point leaves either the old log or the new one, both complete.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";

export interface JournalMessage {
  id: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

type Entry =
  | { op: "send"; id: string; body: string; sentAt: number }
  | { op: "recv"; id: string; n: number }
  | { op: "del"; id: string };

/** Deleted entries in the log past which it is compacted while running. */
const COMPACT_AFTER = 5_000;

export class QueueJournal {
  private fd: number | undefined;
  /** Entries in the log that no longer describe a live message. */
  private garbage = 0;

  constructor(private readonly file: string) {}

  /** The messages the log holds, oldest first; the log is compacted to them. */
  open(): JournalMessage[] {
    const live = new Map<string, JournalMessage>();
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, "utf8").split("\n")) {
        if (!line) continue;
        let e: Entry;
        try {
          e = JSON.parse(line) as Entry;
        } catch {
          continue; // a line torn by a crash mid-write: its message was never acknowledged
        }
        if (e.op === "send") live.set(e.id, { id: e.id, body: e.body, sentAt: e.sentAt, receiveCount: 0 });
        else if (e.op === "recv") {
          const m = live.get(e.id);
          if (m) m.receiveCount = e.n;
        } else live.delete(e.id);
      }
    }
    const messages = [...live.values()];
    this.compact(messages);
    return messages;
  }

  sent(m: JournalMessage): void {
    this.append({ op: "send", id: m.id, body: m.body, sentAt: m.sentAt });
  }

  received(m: JournalMessage): void {
    this.append({ op: "recv", id: m.id, n: m.receiveCount });
    this.garbage++;
  }

  /** Records a deletion; compacts to `live()` when the log has grown mostly dead. */
  deleted(id: string, live: () => JournalMessage[]): void {
    this.append({ op: "del", id });
    this.garbage += 2;
    if (this.garbage > COMPACT_AFTER) this.compact(live());
  }

  /** Rewrites the log as exactly these messages, atomically. */
  compact(messages: JournalMessage[]): void {
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, "w");
    const lines = messages.map((m) => {
      const send = JSON.stringify({ op: "send", id: m.id, body: m.body, sentAt: m.sentAt });
      return m.receiveCount > 0
        ? `${send}\n${JSON.stringify({ op: "recv", id: m.id, n: m.receiveCount })}`
        : send;
    });
    if (lines.length > 0) writeSync(fd, `${lines.join("\n")}\n`);
    fsyncSync(fd);
    closeSync(fd);
    if (this.fd !== undefined) closeSync(this.fd);
    renameSync(tmp, this.file);
    this.fd = openSync(this.file, "a");
    this.garbage = 0;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(e: Entry): void {
    if (this.fd === undefined) this.fd = openSync(this.file, "a");
    writeSync(this.fd, `${JSON.stringify(e)}\n`);
  }
}
