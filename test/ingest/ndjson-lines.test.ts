// NDJSON lines with their numbers and byte offsets (shared/ingest/ndjson-lines.ts): a resume opened at a
// line's end offset continues with the next line, whatever the chunking, multi-byte characters, CRLF
// line ends and a last line without a newline.
import { describe, expect, it } from "vitest";
import { type NdjsonLine, ndjsonLines } from "../../shared/ingest/ndjson-lines.ts";

const text = '{"a":1}\r\n\n{"é":"ü"}\n{"c":"\u{1F600}"}\n{"last":true}';
const bytes = Buffer.from(text, "utf8");

/** The bytes from `offset`, in chunks of `size` (splitting lines and characters anywhere). */
const chunked = (size: number) =>
  async function* (offset: number) {
    for (let i = offset; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };

async function all(size: number, start = { line: 0, offset: 0 }): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = [];
  for await (const l of ndjsonLines(chunked(size), start)) out.push(l);
  return out;
}

describe("NDJSON lines", () => {
  it("are numbered with the byte offset after each, however the stream is chunked", async () => {
    const expected = [
      { line: 1, text: '{"a":1}', end: 9 },
      { line: 2, text: "", end: 10 },
      { line: 3, text: '{"é":"ü"}', end: 10 + Buffer.byteLength('{"é":"ü"}\n') },
    ];
    for (const size of [1, 3, 7, 1000]) {
      const lines = await all(size);
      expect(lines.slice(0, 3)).toEqual(expected);
      expect(lines.map((l) => l.text).slice(3)).toEqual(['{"c":"\u{1F600}"}', '{"last":true}']);
      expect(lines.at(-1)!.end).toBe(bytes.length);
    }
  });

  it("resume at a line's end offset with the next line and its number", async () => {
    const lines = await all(5);
    for (const [i, l] of lines.entries()) {
      const rest = await all(4, { line: l.line, offset: l.end });
      expect(rest).toEqual(lines.slice(i + 1));
    }
  });
});
