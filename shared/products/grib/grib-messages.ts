// Walks a GRIB 1/2 file message by message, reading only the first sections of each: a message's length
// says where the next one starts, so data sections are never read. Equal-length messages (an ERA5
// month repeats one length per parameter) let the walk read many headers per round (chain-walk.ts).
import { ProductError } from "../../errors.ts";
import { type ChainFormat, type ChainOptions, type Probe, walkChain } from "../../zip/chain-walk.ts";
import type { RangeReader } from "../../zip/range-reader.ts";
import { type GribMessage, parseGribHeader } from "./grib-sections.ts";

export type { GribMessage } from "./grib-sections.ts";

const MAX_MESSAGES = 20_000;
/** Zero bytes after the last message are padding if this many (or all that is left) are zero. */
const PADDING_CHECK = 16 * 1024;

const GRIB: ChainFormat<GribMessage> = {
  minRecord: 8,
  probe(bytes, offset, rest): Probe<GribMessage> {
    const indicator = Math.min(16, rest);
    if (bytes.length < indicator) return { kind: "need", bytes: indicator };
    if (bytes[0] !== 0x47 || bytes[1] !== 0x52 || bytes[2] !== 0x49 || bytes[3] !== 0x42) {
      if (offset === 0) throw new ProductError("not a GRIB file: no GRIB indicator at offset 0");
      const check = Math.min(PADDING_CHECK, rest);
      const head = bytes.subarray(0, check);
      if (!head.every((b) => b === 0)) {
        throw new ProductError(`corrupt GRIB file: no GRIB indicator at offset ${offset}`);
      }
      return head.length < check ? { kind: "need", bytes: check } : { kind: "end" };
    }
    const edition = bytes[7];
    if (edition !== 1 && edition !== 2)
      throw new ProductError(`unsupported GRIB edition ${edition} at offset ${offset}`);
    if (bytes.length < 16) throw new ProductError(`truncated GRIB message at offset ${offset}`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const length =
      edition === 2 ? dv.getUint32(8) * 2 ** 32 + dv.getUint32(12) : (dv.getUint32(4) >>> 8) & 0xffffff;
    if (length < 16 || length > rest) throw new ProductError(`truncated GRIB message at offset ${offset}`);
    const parsed = parseGribHeader(dv, edition, length, offset);
    if ("need" in parsed) return { kind: "need", bytes: parsed.need };
    return { kind: "record", length, value: parsed.message, headBytes: parsed.headBytes };
  },
};

/** Every message of the file, in order; `options` tunes the reads (tests compare settings). */
export async function walkGrib(
  reader: RangeReader,
  options: Partial<ChainOptions> = {},
): Promise<GribMessage[]> {
  const messages: GribMessage[] = [];
  for await (const record of walkChain(reader, GRIB, options)) {
    messages.push(record.value);
    if (messages.length >= MAX_MESSAGES) break;
  }
  return messages;
}
