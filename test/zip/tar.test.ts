import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { planLandsatScene } from "../../dev/synthetic/landsat.ts";
import { planTar, readTarRange } from "../../dev/synthetic/tar-plan.ts";
import { ProductError } from "../../shared/errors.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import type { ChainOptions } from "../../shared/zip/chain-walk.ts";
import { bytesReader, type RangeReader } from "../../shared/zip/range-reader.ts";
import { RoundTracker, roundsReader } from "../../shared/zip/request-rounds.ts";
import { listTar, writeTar } from "../../shared/zip/tar-reader.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { planUnequalLandsat } from "../support/unequal-landsat.ts";

const run = promisify(execFile);
/** The listing as it was: a 64 KiB window at each header, one after another. */
const PLAIN: Partial<ChainOptions> = { maxPeriod: 0, hopWindow: 64 * 1024, maxHopWindow: 64 * 1024 };
const text = (i: number, size: number) => `member ${i} `.repeat(Math.ceil(size / 10) + 1).slice(0, size);

/** Reads a product the way ingest does and counts the requests and rounds it took. */
async function ingest(a: { key: string; size: number; read: (s: number, e: number) => Uint8Array }) {
  const store = new MemoryObjectStore();
  const object = store.putLazy(a.key, a.size, a.read);
  const inner = store.getRange.bind(store);
  const tracker = new RoundTracker();
  store.getRange = (k, s, e) => tracker.track(() => inner(k, s, e));
  const outcome = await readProduct({ store, object });
  if (outcome.kind !== "item") throw new Error(outcome.reason);
  return { item: outcome.item, ...tracker.stats };
}

describe("listTar", () => {
  it("many small members: names, sizes, offsets and contents in a few growing reads", async () => {
    const files = Array.from({ length: 300 }, (_, i) => {
      const size = (i * 7919) % 5000;
      return { name: `docs/part-${i}.txt`, data: text(i, size) };
    });
    const tar = writeTar(files);
    const reader = roundsReader(bytesReader(tar));
    const entries = await listTar(reader);
    expect(entries.map((e) => [e.name, e.size])).toEqual(files.map((f) => [f.name, f.data.length]));
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    const wrong = entries.filter(
      (e, i) =>
        decode(tar.subarray(e.dataOffset, e.dataOffset + e.size)) !== files[i]!.data ||
        (e.data && decode(e.data) !== files[i]!.data),
    );
    expect(wrong).toEqual([]);
    expect(entries.filter((e) => e.data).length).toBeGreaterThan(250);
    expect(tar.length).toBeGreaterThan(800_000);
    // 64 KiB, then windows doubling over the dense members: 13 windows of 64 KiB before.
    expect(reader.stats.requests).toBeLessThanOrEqual(6);
    const plain = await listTar(bytesReader(tar), PLAIN);
    const where = (list: typeof entries) => list.map(({ data: _, ...e }) => e);
    expect(where(plain)).toEqual(where(entries));
  });

  it("equal-size members are listed in parallel rounds; an odd one in the middle changes nothing", async () => {
    const sizes = Array.from({ length: 60 }, (_, i) => (i === 30 ? 700_001 : 3_000_000));
    const plan = planTar(sizes.map((zeros, i) => ({ name: `tiles/tile-${i}.bin`, zeros })));
    const reader: RangeReader = { size: plan.size, read: async (s, e) => readTarRange(plan, s, e) };
    const plain = roundsReader(reader);
    const fast = roundsReader(reader);
    const expected = await listTar(plain, PLAIN);
    const entries = await listTar(fast);
    expect(entries).toEqual(expected);
    expect(entries.map((e) => e.size)).toEqual(sizes);
    expect(plain.stats.rounds).toBe(61); // 60 headers and the end-of-archive block
    expect(fast.stats.rounds).toBeLessThanOrEqual(14);
    // The odd member spoils the guesses of one round: at most 31 reads wasted (32 in flight).
    expect(fast.stats.requests).toBeLessThanOrEqual(61 + 31);
  });

  it("a corrupt header and a truncated member are errors naming the offset", async () => {
    const tar = writeTar([
      { name: "a.txt", data: "alpha" },
      { name: "b.bin", data: new Uint8Array(3000) },
    ]);
    const corrupt = tar.slice();
    corrupt[1024 + 10] = 0x41;
    await expect(listTar(bytesReader(corrupt))).rejects.toThrow(
      new ProductError("corrupt tar archive: bad header checksum at offset 1024"),
    );
    await expect(listTar(bytesReader(tar.subarray(0, 3000)))).rejects.toThrow(
      "truncated tar archive: member at 1024 needs 3000 bytes beyond the end",
    );
  });
});

const HAVE_TAR = (process.env["PATH"] ?? "").split(delimiter).some((d) => existsSync(join(d, "tar")));
if (!HAVE_TAR) console.warn("GNU tar cross-check skipped: no tar on PATH");

describe.skipIf(!HAVE_TAR)("archives written by GNU tar", () => {
  it.each(["gnu", "pax", "ustar"])(
    "--format=%s: long names and sizes around the block size",
    async (format) => {
      const dir = mkdtempSync(join(tmpdir(), "tar-"));
      const long = `${"deep/".repeat(18)}LC09_L2SP_190025_20240514_20240516_02_T1_MTL.json`;
      const files = [
        ["empty.txt", 0],
        ["one.txt", 1],
        ["block.txt", 512],
        ["block-and-one.txt", 513],
        [long, 14_262],
        [format === "ustar" ? "big.bin" : `${"x".repeat(120)}.bin`, 70_000],
      ] as const;
      for (const [name, size] of files) {
        mkdirSync(join(dir, "src", dirname(name)), { recursive: true });
        writeFileSync(join(dir, "src", name), text(size, size));
      }
      const out = join(dir, "out.tar");
      await run("tar", [`--format=${format}`, "-cf", out, "-C", join(dir, "src"), ...files.map(([n]) => n)]);
      const tar = new Uint8Array(readFileSync(out));
      const entries = await listTar(bytesReader(tar));
      expect(entries.map((e) => [e.name, e.size])).toEqual(files.map(([n, s]) => [n, s]));
      for (const e of entries) {
        expect(Buffer.from(tar.subarray(e.dataOffset, e.dataOffset + e.size)).toString()).toBe(
          text(e.size, e.size),
        );
      }
    },
  );
});

describe("Landsat tars: the MTL comes with the listing", () => {
  it("equal band sizes (the synthetic scene): a handful of rounds", async () => {
    const scene = planLandsatScene({ targetSize: 1e9 });
    const { item, requests, rounds } = await ingest(scene);
    expect(item.collection).toBe("landsat-c2-l2");
    expect(rounds).toBeLessThanOrEqual(8);
    expect(requests).toBeLessThanOrEqual(21);
  });

  it("unequal bands with the MTL among them: one round per band, none for the MTL", async () => {
    const scene = await planUnequalLandsat(1e9, "");
    const listing = roundsReader({ size: scene.size, read: async (s, e) => scene.read(s, e) });
    const entries = await listTar(listing);
    expect(entries.find((e) => e.name.endsWith("_MTL.json"))?.data).toBeDefined();
    const { item, requests, rounds } = await ingest(scene);
    expect(item.properties["landsat:wrs_path"]).toBe("190");
    // One read more than the listing: the ANG file, whose image corners give the valid-data footprint.
    expect(requests).toBe(listing.stats.requests + 1);
    expect(rounds).toBe(listing.stats.rounds + 1);
    // No member sizes repeat: each header past a band is one more round (the tar has no directory).
    expect(rounds).toBeLessThanOrEqual(scene.members - 2);
  });
});
