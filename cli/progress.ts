// Progress of many transfers: on a terminal, a bar per active file and a total line, redrawn in place
// (rate and ETA); otherwise plain lines (start, done, retry, failed, and a status line now and then),
// which logs and CI keep readable.
import { bytes, duration, rate } from "./format.ts";

interface Task {
  name: string;
  total: number | undefined;
  done: number;
  /** Bytes at this transfer's start (resumed) and when it started: for the rate. */
  base: number;
  since: number;
}

export interface Progress {
  begin(name: string): void;
  start(name: string, have: number, total: number | undefined): void;
  add(name: string, n: number): void;
  note(name: string, text: string): void;
  end(name: string, text: string): void;
  close(): void;
}

const bar = (fraction: number, width: number) => {
  const full = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `${"#".repeat(full)}${"-".repeat(width - full)}`;
};

export function progress(
  err: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  o: { totalFiles: number; totalBytes: number | undefined; verb: string; plainEveryMs?: number },
): Progress {
  const tasks = new Map<string, Task>();
  const t0 = Date.now();
  let finished = 0;
  let moved = 0;
  const tty = err.isTTY === true;
  let drawn = 0;
  const width = () => Math.max(60, Math.min(err.columns ?? 100, 160));

  const line = (t: Task) => {
    const secs = (Date.now() - t.since) / 1000;
    const speed = secs > 0 ? (t.done - t.base) / secs : 0;
    const eta = t.total !== undefined && speed > 0 ? ((t.total - t.done) / speed) * 1000 : Number.NaN;
    const pct = t.total ? t.done / t.total : 0;
    const stats = `${(pct * 100).toFixed(0).padStart(3)}% ${bytes(t.done)}/${bytes(t.total)} ${rate(speed)} ETA ${duration(eta)}`;
    const room = width() - stats.length - 26;
    const name = t.name.length > room ? `…${t.name.slice(-(room - 1))}` : t.name.padEnd(room);
    return `${name} [${bar(pct, 20)}] ${stats}`;
  };
  const totalLine = () => {
    const secs = (Date.now() - t0) / 1000;
    const speed = secs > 0 ? moved / secs : 0;
    const left = o.totalBytes !== undefined ? o.totalBytes - sum() : undefined;
    const eta = left !== undefined && speed > 0 ? (left / speed) * 1000 : Number.NaN;
    return `${o.verb} ${finished}/${o.totalFiles} files, ${bytes(sum())}${o.totalBytes ? ` of ${bytes(o.totalBytes)}` : ""}, ${rate(speed)}, ETA ${duration(eta)}`;
  };
  let completedBytes = 0;
  const sum = () => completedBytes + [...tasks.values()].reduce((n, t) => n + t.done, 0);

  const clear = () => {
    if (drawn > 0) err.write(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const lines = [...[...tasks.values()].map(line), totalLine()];
    err.write(`${lines.join("\n")}\n`);
    drawn = lines.length;
  };
  const say = (text: string) => {
    if (tty) clear();
    err.write(`${text}\n`);
    if (tty) draw();
  };
  const timer = setInterval(
    () => {
      if (tty) draw();
      else if (tasks.size > 0) err.write(`${totalLine()}\n`);
    },
    tty ? 200 : (o.plainEveryMs ?? 10_000),
  );
  timer.unref();

  return {
    begin(name) {
      tasks.set(name, { name, total: undefined, done: 0, base: 0, since: Date.now() });
    },
    start(name, have, total) {
      const t = tasks.get(name);
      if (!t) return;
      Object.assign(t, { done: have, base: have, total, since: Date.now() });
      if (!tty) say(`${o.verb} ${name} (${bytes(total)}${have ? `, resuming at ${bytes(have)}` : ""})`);
    },
    add(name, n) {
      const t = tasks.get(name);
      if (t) t.done += n;
      moved += n;
    },
    note(name, text) {
      say(`${name}: ${text}`);
    },
    end(name, text) {
      const t = tasks.get(name);
      completedBytes += t?.done ?? 0;
      tasks.delete(name);
      finished++;
      say(`${text} ${name}`);
    },
    close() {
      clearInterval(timer);
      if (tty) clear();
    },
  };
}
