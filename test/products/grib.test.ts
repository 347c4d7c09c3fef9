import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Era5MonthOptions, planEra5Month, scatteredBits } from "../../dev/synthetic/grib.ts";
import { ProductError } from "../../shared/errors.ts";
import { walkGrib } from "../../shared/products/grib/grib-messages.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import type { ChainOptions } from "../../shared/zip/chain-walk.ts";
import { bytesReader, type RangeReader } from "../../shared/zip/range-reader.ts";
import { roundsReader } from "../../shared/zip/request-rounds.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { FIXTURES, HAVE_FIXTURES } from "./reference.ts";

const DIR = join(FIXTURES, "era5-grib");
const files = HAVE_FIXTURES ? readdirSync(DIR).filter((n) => n.endsWith(".grib")) : [];

/** The walk as it was: one 16 KiB read per message, each after the one before. */
const PLAIN: Partial<ChainOptions> = {
  maxPeriod: 0,
  firstWindow: 16 * 1024,
  hopWindow: 16 * 1024,
  maxHopWindow: 16 * 1024,
};

function month(o: Era5MonthOptions) {
  const a = planEra5Month(o);
  const reader: RangeReader = { size: a.size, read: async (s, e) => a.read(s, e) };
  return { ...a, reader };
}

const hourly = (h: number) => new Date(Date.UTC(2024, 0, 1, h)).toISOString().replace(".000Z", "Z");

/** Walks both ways; the predicted walk must find exactly what the plain one finds. */
async function bothWalks(reader: RangeReader) {
  const plain = roundsReader(reader);
  const fast = roundsReader(reader);
  const expected = await walkGrib(plain, PLAIN);
  const messages = await walkGrib(fast);
  expect(messages).toEqual(expected);
  return { messages, plain: plain.stats, fast: fast.stats };
}

describe.skipIf(!HAVE_FIXTURES)(
  "GRIB fixtures (no reference items: checked against the cfgrib sample contents)",
  () => {
    it.each(files)("%s", async (file) => {
      const store = new MemoryObjectStore();
      const outcome = await readProduct({
        store,
        object: store.put(`era5/${file}`, readFileSync(join(DIR, file))),
      });
      if (outcome.kind !== "item") throw new Error(outcome.reason);
      const { item } = outcome;
      expect(item.collection).toBe("ecmwf-grib");
      expect(Date.parse(item.properties["start_datetime"] as string)).toBeLessThanOrEqual(
        Date.parse(item.properties["end_datetime"] as string),
      );
      expect(item.bbox?.length).toBe(4);
      expect(item.properties["grib:message_count"]).toBeGreaterThan(0);
      // Small files come whole in the first read.
      expect(store.stats.requests).toBe(1);
    });

    // Values as `grib_ls -p validityDate,validityTime,…Grid…InDegrees` prints them for these files.
    it.each([
      ["era5-single-level-scalar-time.grib", "2017-01-01T12:00:00Z", [-10, 30, 40, 60]],
      ["regular_ll_sfc.grib", "2017-10-18T12:00:00Z", [-180, -90, 180, 90]],
    ] as const)("%s: valid time and extent as eccodes reads them", async (file, time, bbox) => {
      const { messages } = await bothWalks(bytesReader(readFileSync(join(DIR, file))));
      expect(messages.map((m) => m.validTime)).toEqual([time]);
      const store = new MemoryObjectStore();
      const outcome = await readProduct({ store, object: store.put(file, readFileSync(join(DIR, file))) });
      if (outcome.kind !== "item") throw new Error(outcome.reason);
      expect(outcome.item.bbox).toEqual(bbox);
    });
  },
);

describe("GRIB walk with predicted offsets", () => {
  it("an hourly month of equal messages: every header read, in few rounds", async () => {
    const m = month({ edition: 1, params: [{ param: 167, bitsPerValue: 16 }] });
    expect(m.offsets.length).toBe(744);
    expect(m.size).toBeGreaterThan(150e6);
    const { messages, plain, fast } = await bothWalks(m.reader);
    expect(messages.map((x) => x.validTime)).toEqual(Array.from({ length: 744 }, (_, h) => hourly(h)));
    expect(messages.every((x) => JSON.stringify(x.extent) === "[320,15,75,75]")).toBe(true);
    expect(plain.rounds).toBe(744);
    // Headers are ~220 KB apart: one small request each, 32 in flight per round.
    expect(fast.rounds).toBeLessThanOrEqual(40);
    expect(fast.requests).toBeLessThanOrEqual(744 + 8);
    expect(fast.bytes).toBeLessThan(64 * 1024 + 744 * 256);
  });

  it("tiny messages come many to a request", async () => {
    const grid = { type: "regular_ll", la1: 50, lo1: 10, la2: 30, lo2: 30, di: 0.5, dj: 0.5 } as const;
    const m = month({ edition: 2, grid, params: [{ param: 0, bitsPerValue: 12 }] });
    expect(m.size / 744).toBeLessThan(4000);
    const { messages, fast } = await bothWalks(m.reader);
    expect(messages).toHaveLength(744);
    expect(fast.requests).toBeLessThanOrEqual(40);
    expect(fast.rounds).toBeLessThanOrEqual(12);
  });

  it("interleaved parameters: a repeating cycle of lengths", async () => {
    const params = [
      { param: 167, bitsPerValue: 16 },
      { param: 228, bitsPerValue: 12 },
      { param: 165, bitsPerValue: 14 },
    ];
    const m = month({ edition: 2, params, hours: 240 });
    const { messages, plain, fast } = await bothWalks(m.reader);
    expect(messages).toHaveLength(720);
    expect(messages.slice(0, 4).map((x) => x.validTime)).toEqual([
      hourly(0),
      hourly(0),
      hourly(0),
      hourly(1),
    ]);
    expect(plain.rounds).toBe(720);
    expect(fast.rounds).toBeLessThanOrEqual(40);
    expect(fast.requests).toBeLessThanOrEqual(720 + 8);
  });

  it("a message of another length in the middle: the walk falls back and picks up again", async () => {
    // A constant field (no data bytes) at hour 300: its message is a few hundred bytes, not 220 KB.
    const m = month({
      edition: 1,
      params: [{ param: 167, bitsPerValue: 16 }],
      bitsOf: (h) => (h === 300 ? 0 : undefined),
    });
    const lengths = m.offsets.map((o, i) => (m.offsets[i + 1] ?? m.size) - o);
    expect(new Set(lengths).size).toBe(2);
    const { messages, fast } = await bothWalks(m.reader);
    expect(messages.map((x) => x.validTime)).toEqual(Array.from({ length: 744 }, (_, h) => hourly(h)));
    expect(fast.rounds).toBeLessThanOrEqual(45);
  });

  it("random lengths: no prediction holds, the result is still the plain walk's", async () => {
    const m = month({
      edition: 1,
      hours: 100,
      bitsOf: (h, p) => scatteredBits(h * 2 + p),
    });
    const { messages, fast } = await bothWalks(m.reader);
    expect(messages).toHaveLength(200);
    // A guess is tried on little evidence and small at first: few reads are wasted.
    expect(fast.requests).toBeLessThanOrEqual(1.25 * 200);
  });

  it.each([1, 2] as const)(
    "a truncated last message (GRIB%i) is an error naming its offset",
    async (edition) => {
      const m = month({ edition, params: [{ param: 167, bitsPerValue: 16 }], hours: 100 });
      const cut: RangeReader = {
        size: m.size - 1000,
        read: (s, e) => m.reader.read(s, Math.min(e, m.size - 1000)),
      };
      const last = m.offsets.at(-1)!;
      for (const options of [PLAIN, {}]) {
        const error = await walkGrib(cut, options).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProductError);
        expect((error as Error).message).toBe(`truncated GRIB message at offset ${last}`);
      }
    },
  );

  it("zero padding after the last message ends the walk; other bytes there are an error", async () => {
    const m = month({ edition: 2, params: [{ param: 0, bitsPerValue: 8 }], hours: 40 });
    const withZeros = async (s: number, e: number) => {
      const out = new Uint8Array(e - s);
      out.set(m.read(s, Math.min(e, m.size)));
      return out;
    };
    const { messages } = await bothWalks({ size: m.size + 3000, read: withZeros });
    expect(messages).toHaveLength(40);
    const junk: RangeReader = {
      size: m.size + 3000,
      read: async (s, e) => {
        const out = await withZeros(s, e);
        if (m.size + 100 >= s && m.size + 100 < e) out[m.size + 100 - s] = 1;
        return out;
      },
    };
    await expect(walkGrib(junk)).rejects.toThrow(`corrupt GRIB file: no GRIB indicator at offset ${m.size}`);
  });
});
