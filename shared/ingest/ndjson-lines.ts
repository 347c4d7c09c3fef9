// The lines of an NDJSON byte stream with their numbers and byte offsets, read chunk by chunk (memory
// holds one chunk and one line whatever the file's size), so that a load can checkpoint "done up to
// line N, byte B" and resume by opening the stream at byte B (a file's read stream, an S3 ranged GET).

/** A position in the stream: lines done (1-based number of the last one) and the byte after it. */
export interface StreamPosition {
  line: number;
  offset: number;
}

export interface NdjsonLine {
  /** 1-based line number in the whole stream. */
  line: number;
  /** Byte offset just after this line (its newline included): where a resume starts. */
  end: number;
  text: string;
}

/** Opens the stream at a byte offset (0: the beginning). */
export type OpenAt = (offset: number) => AsyncIterable<Uint8Array>;

/** Lines from `start` on, blank ones included (a caller skips them), the last one with or without "\n". */
export async function* ndjsonLines(
  open: OpenAt,
  start: StreamPosition = { line: 0, offset: 0 },
): AsyncGenerator<NdjsonLine> {
  let line = start.line;
  let offset = start.offset;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const raw of open(start.offset)) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
      const piece = chunk.subarray(from, nl);
      const bytes = pendingBytes + piece.length;
      const text = pendingBytes
        ? Buffer.concat([...pending, piece]).toString("utf8")
        : piece.toString("utf8");
      pending = [];
      pendingBytes = 0;
      offset += bytes + 1;
      line++;
      yield { line, end: offset, text: text.endsWith("\r") ? text.slice(0, -1) : text };
      from = nl + 1;
    }
    if (from < chunk.length) {
      // Copied: the stream may reuse its buffer for the next chunk.
      pending.push(Buffer.from(chunk.subarray(from)));
      pendingBytes += chunk.length - from;
    }
  }
  if (pendingBytes > 0) {
    offset += pendingBytes;
    yield { line: line + 1, end: offset, text: Buffer.concat(pending).toString("utf8") };
  }
}
