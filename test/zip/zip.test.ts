import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ProductError } from "../../shared/errors.ts";
import {
  bytesReader,
  countingReader,
  crc32,
  crc32OfZeros,
  openZip,
  planChunks,
  planToBytes,
  planZip,
  readPlanRange,
  readZipMember,
} from "../../shared/zip/index.ts";

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe("crc32", () => {
  it("matches the check value and computes long zero runs without materialising them", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    for (const n of [0, 1, 2, 3, 1000, 65_537]) expect(crc32OfZeros(n)).toBe(crc32(new Uint8Array(n)));
  });
});

describe("zip round trip", () => {
  const inputs = [
    { name: "P.SAFE/manifest.safe", data: "<xml>manifest</xml>".repeat(50) },
    { name: "P.SAFE/stored.txt", data: "plain", method: "store" as const },
    { name: "P.SAFE/IMG/B04.jp2", zeros: 100_000 },
  ];

  it("lists and reads back deflated, stored and placeholder members", async () => {
    const bytes = planToBytes(planZip(inputs));
    const zip = await openZip(bytesReader(bytes));
    expect(zip.entries.map((e) => e.name)).toEqual(inputs.map((i) => i.name));
    expect(text(await readZipMember(zip, zip.entry("P.SAFE/manifest.safe")!))).toBe(
      "<xml>manifest</xml>".repeat(50),
    );
    expect(text(await readZipMember(zip, zip.entry("P.SAFE/stored.txt")!))).toBe("plain");
    const img = await readZipMember(zip, zip.entry("P.SAFE/IMG/B04.jp2")!);
    expect(img.length).toBe(100_000);
  });

  it("writes zip64 records that the reader follows", async () => {
    const bytes = planToBytes(planZip(inputs, { forceZip64: true }));
    const zip = await openZip(bytesReader(bytes));
    expect(zip.entry("P.SAFE/IMG/B04.jp2")!.size).toBe(100_000);
    expect(text(await readZipMember(zip, zip.entry("P.SAFE/stored.txt")!))).toBe("plain");
  });

  it("goes zip64 by itself past 4 GiB, without holding the placeholder", async () => {
    const plan = planZip([
      { name: "big.bin", zeros: 5 * 1024 ** 3 },
      { name: "after.txt", data: "after" },
    ]);
    expect(plan.size).toBeGreaterThan(5 * 1024 ** 3);
    const reader = countingReader({ size: plan.size, read: async (s, e) => readPlanRange(plan, s, e) });
    const zip = await openZip(reader);
    expect(zip.entry("big.bin")!.size).toBe(5 * 1024 ** 3);
    expect(zip.entry("after.txt")!.localHeaderOffset).toBeGreaterThan(2 ** 32);
    expect(text(await readZipMember(zip, zip.entry("after.txt")!))).toBe("after");
    expect(reader.stats.requests).toBe(2);
  });

  it("streams the same bytes as it plans", () => {
    const plan = planZip(inputs);
    const chunks = [...planChunks(plan, 1000)];
    const joined = Buffer.concat(chunks);
    expect(Buffer.compare(joined, Buffer.from(planToBytes(plan)))).toBe(0);
  });
});

describe("zip failures", () => {
  const good = planToBytes(planZip([{ name: "a/manifest.safe", data: "<a/>".repeat(100) }]));

  it("refuses what is not a zip", async () => {
    await expect(
      openZip(bytesReader(new TextEncoder().encode("hello world, this is not a zip archive"))),
    ).rejects.toThrow(/not a zip archive/);
  });

  it("names a truncated archive", async () => {
    await expect(openZip(bytesReader(good.subarray(0, good.length - 30)))).rejects.toThrow(/truncated zip/);
  });

  it("names a corrupt central directory", async () => {
    const bad = good.slice();
    const cd = Buffer.from(bad).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bad[cd + 1] = 0x00;
    await expect(openZip(bytesReader(bad))).rejects.toThrow(/corrupt zip central directory/);
  });

  it("detects a CRC mismatch", async () => {
    const bytes = planToBytes(planZip([{ name: "x.txt", data: "abcdef", method: "store" }]));
    bytes[30 + 5] = 0x5a; // first data byte
    const zip = await openZip(bytesReader(bytes));
    await expect(readZipMember(zip, zip.entries[0]!)).rejects.toThrow(/CRC mismatch in member x.txt/);
  });

  it("refuses members larger than the metadata cap", async () => {
    const plan = planZip([{ name: "huge.xml", zeros: 60 * 1024 * 1024 }]);
    const zip = await openZip({ size: plan.size, read: async (s, e) => readPlanRange(plan, s, e) });
    const err = await readZipMember(zip, zip.entries[0]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProductError);
    expect((err as Error).message).toMatch(/huge.xml is 62914560 bytes, more than the 52428800 allowed/);
  });

  it("refuses zip bombs: high ratio, and output beyond the declared size", async () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const honest = planToBytes(planZip([{ name: "bomb.xml", data: zeros }]));
    const zip = await openZip(bytesReader(honest));
    await expect(readZipMember(zip, zip.entries[0]!)).rejects.toThrow(/bomb.xml looks like a zip bomb/);

    // A member that lies about its size: declares 1000 bytes, inflates to 8 MiB.
    const liar = planToBytes(planZip([{ name: "liar.xml", data: new Uint8Array(1000) }]));
    const deflated = deflateRawSync(zeros);
    const z2 = await openZip(bytesReader(liar));
    const e = z2.entries[0]!;
    const forged = { ...e, compressedSize: deflated.length };
    const patched = new Uint8Array(30 + 8 + deflated.length);
    patched.set(liar.subarray(0, 38));
    patched.set(deflated, 38);
    const fake = { ...z2, centralDirectoryOffset: patched.length, reader: bytesReader(patched) };
    await expect(readZipMember(fake, forged)).rejects.toThrow(
      /liar.xml inflates beyond its declared 1000 bytes/,
    );
  });
});
