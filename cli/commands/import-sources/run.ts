// An import from another catalogue, whatever it is: collections first, then page after page of items
// written in batches, the checkpoint saved after each batch (the page's cursor and how far into the
// page), at most --rate items a second; then the summary: read, written, skipped, failed.
import type { Context } from "../../command.ts";
import { EXIT } from "../../errors.ts";
import { sleep } from "../../http.ts";
import type { FoundItem } from "../../search-query.ts";
import { type Checkpoint, loadCheckpoint, removeCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import type { ImportSource } from "./source.ts";
import { Target } from "./target.ts";

export interface RunOptions {
  batch: number;
  rate: number | undefined;
  checkpoint: string;
  replace: boolean;
}

/** At most this many failures are listed in --json output (all are counted, and printed on stderr). */
const LISTED_FAILURES = 1000;

export async function runImport(ctx: Context, source: ImportSource, o: RunOptions): Promise<number> {
  const cp: Checkpoint = loadCheckpoint(o.checkpoint, source.describe) ?? {
    source: source.describe,
    cursor: undefined,
    offset: 0,
    collectionsDone: false,
    read: 0,
    written: 0,
    skipped: 0,
    failed: 0,
    collections: 0,
  };
  const resumed = cp.collectionsDone;
  if (resumed) ctx.err.write(`resuming: ${cp.read} read, ${cp.written} written so far\n`);
  const save = () => saveCheckpoint(o.checkpoint, cp);
  const failures: { name: string; reason: string }[] = [];
  const fail = (f: { name: string; reason: string }) => {
    cp.failed++;
    if (failures.length < LISTED_FAILURES) failures.push(f);
    ctx.err.write(`failed: ${f.name}: ${f.reason}\n`);
  };
  const target = new Target(ctx.api, source, o.replace, () => cp.collections++);
  if (!cp.collectionsDone) {
    for (const c of await source.collections()) await target.createCollection(c);
    cp.collectionsDone = true;
    save();
  }
  const t0 = Date.now();
  let sent = 0;
  let lastReport = cp.read;
  for (;;) {
    const page = await source.page(cp.cursor);
    const entries = page.entries;
    let i = cp.offset;
    while (i < entries.length) {
      const e = entries[i]!;
      if ("failed" in e) {
        cp.read++;
        fail(e.failed);
        cp.offset = ++i;
        save();
        continue;
      }
      const collection = e.item.collection;
      const items: FoundItem[] = [];
      for (; i < entries.length && items.length < o.batch; i++) {
        const next = entries[i]!;
        if (!("item" in next) || next.item.collection !== collection) break;
        items.push(next.item);
      }
      const r = await target.write(collection, items);
      cp.read += items.length;
      cp.written += r.written;
      cp.skipped += r.skipped;
      for (const f of r.failed) fail(f);
      cp.offset = i;
      save();
      sent += items.length;
      if (o.rate) {
        const ahead = (sent / o.rate) * 1000 - (Date.now() - t0);
        if (ahead > 0) await sleep(ahead);
      }
      if (cp.read - lastReport >= 1000) {
        lastReport = cp.read;
        ctx.err.write(`read ${cp.read}, written ${cp.written}, skipped ${cp.skipped}, failed ${cp.failed}\n`);
      }
    }
    if (page.next === undefined) break;
    cp.cursor = page.next;
    cp.offset = 0;
    save();
  }
  removeCheckpoint(o.checkpoint);
  const seconds = (Date.now() - t0) / 1000;
  ctx.err.write(
    `imported from ${source.describe}: read ${cp.read}, written ${cp.written}, skipped ${cp.skipped} (already there), ` +
      `failed ${cp.failed}; ${cp.collections} collections created (${sent} items in this run, ${seconds.toFixed(1)} s)\n`,
  );
  if (ctx.json)
    ctx.out.write(
      `${JSON.stringify({
        from: source.describe,
        read: cp.read,
        written: cp.written,
        skipped: cp.skipped,
        failed: cp.failed,
        collections: cp.collections,
        thisRun: sent,
        resumed,
        failures,
        seconds,
      })}\n`,
    );
  if (cp.failed === 0) return EXIT.ok;
  return cp.written + cp.skipped > 0 ? EXIT.partial : EXIT.failure;
}
