// Walks a file made of records that each state their own length (GRIB messages, tar members), reading
// only record headers, in as few sequential rounds of ranged reads as the file allows.
//
// Where the next record starts is known only once the current one is read, so a plain walk costs one
// round trip per record. Files written by programs are regular, though: an ERA5 month repeats the same
// message length per parameter. Once the recent lengths repeat (a cycle of 1..maxPeriod lengths seen
// twice), the walk predicts the next offsets, reads all their headers in one round of parallel requests
// and checks them in order. A prediction is trusted only when the record before it ended exactly there,
// so every record is read at the offset a plain walk would reach: a wrong guess costs wasted reads, never
// a wrong record. Batches grow while predictions hold (as TCP's slow start does) and shrink when one
// fails. Headers close together share one request; small, dense records grow the read-ahead window.
import type { RangeReader } from "./range-reader.ts";

export type Probe<T> =
  /** A record: its total length, what it holds, and how many of its first bytes the probe looked at. */
  | { kind: "record"; length: number; value: T; headBytes: number }
  /** The probe needs at least this many bytes from the record start (never more than are left). */
  | { kind: "need"; bytes: number }
  /** The chain ends here (padding, an end-of-archive marker). */
  | { kind: "end" };

export interface ChainFormat<T> {
  /** Fewer bytes than this left in the file end the walk without a read. */
  minRecord: number;
  /**
   * Reads the record at `offset`. `bytes` is the file from `offset` on, as far as has been read (at least
   * one byte); `rest` is how many bytes the file has from `offset`. Throws on a corrupt record.
   */
  probe(bytes: Uint8Array, offset: number, rest: number): Probe<T>;
}

export interface ChainOptions {
  /** Read at offset 0: small files and their first records come in one request. */
  firstWindow: number;
  /** Smallest read-ahead at a record whose place was not predicted; doubles while records are dense. */
  hopWindow: number;
  maxHopWindow: number;
  /** Requests in flight at once; one batch of predictions is one round of at most this many. */
  concurrency: number;
  /** Two headers closer than this are read with one request, bytes between them included. */
  maxHole: number;
  maxRequestBytes: number;
  /** Longest cycle of record lengths that predictions follow (e.g. interleaved parameters). */
  maxPeriod: number;
  firstBatch: number;
  maxBatch: number;
}

/**
 * S3 answers a GET in ~20 ms whatever its size up to a few hundred KB, and 32 GETs in flight stay well
 * below its 5,500 requests/s per prefix. Holes are read only when small: headers 200 KB apart (an ERA5
 * field) are one request each, since reading between them would mean reading the whole file.
 */
export const DEFAULT_CHAIN_OPTIONS: ChainOptions = {
  firstWindow: 64 * 1024,
  hopWindow: 4 * 1024,
  maxHopWindow: 1024 * 1024,
  concurrency: 32,
  maxHole: 32 * 1024,
  maxRequestBytes: 1024 * 1024,
  maxPeriod: 8,
  firstBatch: 2,
  maxBatch: 4096,
};

export interface ChainRecord<T> {
  offset: number;
  length: number;
  value: T;
}

interface Window {
  start: number;
  bytes: Uint8Array;
}

/** Yields the records in file order; stop early by leaving the loop. */
export async function* walkChain<T>(
  reader: RangeReader,
  format: ChainFormat<T>,
  options: Partial<ChainOptions> = {},
): AsyncGenerator<ChainRecord<T>> {
  const o = { ...DEFAULT_CHAIN_OPTIONS, ...options };
  const size = reader.size;
  let windows: Window[] = [];
  const lengths: number[] = [];
  const heads: number[] = [];
  let batch = 0;
  let predictedEnd = -1; // where the last batch of predictions ended
  let hop = { start: 0, end: 0, records: 0, size: o.hopWindow };

  /** The longest run of bytes read so far that starts at `at`. */
  const bytesAt = (at: number): Uint8Array | undefined => {
    let best: Uint8Array | undefined;
    for (const w of windows) {
      const n = w.start + w.bytes.length - at;
      if (at >= w.start && n > 0 && n > (best?.length ?? 0)) best = w.bytes.subarray(at - w.start);
    }
    return best;
  };
  const readHop = async (at: number, atLeast: number) => {
    // Dense records (two or more in the last read-ahead) grow the next one; a lone record resets it.
    const grow = at >= hop.start && hop.records >= 2;
    const next = grow
      ? Math.min(o.maxHopWindow, hop.size * 2)
      : Math.max(o.hopWindow, 2 * (heads.at(-1) ?? 0));
    const end = Math.min(size, at + Math.max(atLeast, next));
    windows.push({ start: at, bytes: await reader.read(at, end) });
    hop = { start: at, end, records: 0, size: next };
  };

  if (size >= format.minRecord) {
    const end = Math.min(size, o.firstWindow);
    windows.push({ start: 0, bytes: await reader.read(0, end) });
    hop = { start: 0, end, records: 0, size: o.hopWindow };
  }
  let at = 0;
  while (at + format.minRecord <= size) {
    windows = windows.filter((w) => w.start + w.bytes.length > at);
    let bytes = bytesAt(at);
    if (!bytes) {
      const predicted = predict(at);
      if (predicted) await readPredicted(predicted);
      else await readHop(at, 0);
      bytes = bytesAt(at)!;
    }
    let probe = format.probe(bytes, at, size - at);
    while (probe.kind === "need") {
      if (probe.bytes <= bytes.length || probe.bytes > size - at) {
        throw new Error(`chain probe at ${at} asked for ${probe.bytes} bytes with ${bytes.length} in hand`);
      }
      await readHop(at, probe.bytes);
      bytes = bytesAt(at)!;
      probe = format.probe(bytes, at, size - at);
    }
    if (probe.kind === "end") return;
    if (at >= hop.start && at < hop.end) hop.records += 1;
    lengths.push(probe.length);
    heads.push(probe.headBytes);
    yield { offset: at, length: probe.length, value: probe.value };
    at += probe.length;
  }

  /** Offsets and header sizes of the next records if the recent lengths repeat, else undefined. */
  function predict(from: number): Prediction | undefined {
    const k = lengths.length;
    let period = 0;
    for (let p = 1; p <= o.maxPeriod && 2 * p <= k && !period; p++) {
      let same = true;
      for (let i = 1; i <= p && same; i++) same = lengths[k - i] === lengths[k - p - i];
      if (same) period = p;
    }
    if (!period) return undefined;
    batch = from === predictedEnd ? Math.min(o.maxBatch, batch * 2) : o.firstBatch;
    const points: { offset: number; head: number }[] = [];
    let next = from;
    for (let j = 0; j < batch && next + format.minRecord <= size; j++) {
      const i = k - period + (j % period);
      points.push({ offset: next, head: Math.min(heads[i]!, lengths[i]!) });
      next += lengths[i]!;
    }
    return { points, end: next };
  }

  /** One round: the predicted headers, merged where close, in at most `concurrency` requests. */
  async function readPredicted({ points, end }: Prediction) {
    const ranges: { start: number; end: number }[] = [];
    predictedEnd = end;
    for (const [j, { offset, head }] of points.entries()) {
      const stop = Math.min(size, offset + head);
      if (windows.some((w) => offset >= w.start && stop <= w.start + w.bytes.length)) continue;
      const prev = ranges.at(-1);
      if (prev && offset - prev.end <= o.maxHole && stop - prev.start <= o.maxRequestBytes) prev.end = stop;
      else if (ranges.length < o.concurrency) ranges.push({ start: offset, end: stop });
      else {
        predictedEnd = offset;
        batch = j; // what fitted in one round: the next batch doubles from there
        break;
      }
    }
    const read = await Promise.all(ranges.map((r) => reader.read(r.start, r.end)));
    for (const [i, r] of ranges.entries()) windows.push({ start: r.start, bytes: read[i]! });
  }
}

interface Prediction {
  points: { offset: number; head: number }[];
  /** Where the record after the last predicted one starts. */
  end: number;
}
