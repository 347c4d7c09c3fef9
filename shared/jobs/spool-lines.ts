// The non-empty lines of a stream of NDJSON bytes that starts at a byte offset of its object, each with
// the offset just past it: a reader that stops after any line knows where the next one starts.

export interface SpoolLine {
  text: string;
  /** The object's byte offset past this line's newline (or its end). */
  end: number;
}

const NEWLINE = 0x0a;

export async function* spoolLines(
  chunks: AsyncIterable<Uint8Array>,
  start: number,
): AsyncIterable<SpoolLine> {
  const decoder = new TextDecoder();
  let held: Uint8Array[] = [];
  let pos = start;
  const line = (bytes: Uint8Array, newline: number): SpoolLine | undefined => {
    pos += bytes.length + newline;
    const text = decoder.decode(bytes);
    return text.trim() ? { text, end: pos } : undefined;
  };
  for await (const chunk of chunks) {
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, from);
      if (nl < 0) {
        if (from < chunk.length) held.push(chunk.subarray(from));
        break;
      }
      const piece = chunk.subarray(from, nl);
      const l = line(held.length ? Buffer.concat([...held, piece]) : piece, 1);
      held = [];
      if (l) yield l;
      from = nl + 1;
    }
  }
  if (held.length) {
    const l = line(Buffer.concat(held), 0);
    if (l) yield l;
  }
}
