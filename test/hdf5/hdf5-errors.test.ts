// Damaged files: every one must end in a ProductError that names the structure and its byte offset,
// never a crash, a hang or an unbounded read.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProductError } from "../../shared/errors.ts";
import { openHdf5 } from "../../shared/hdf5/hdf5-file.ts";
import { attributesFromNetcdf } from "../../shared/products/sentinel-5p/attributes.ts";
import { bytesReader } from "../../shared/zip/range-reader.ts";
import { FIXTURES, HAVE_FIXTURES } from "../products/reference.ts";
import { findH5py, h5pyTool } from "./h5py.ts";

const CH4 = join(
  FIXTURES,
  "sentinel-5p/S5P_OFFL_L2__CH4____20200303T013547_20200303T031717_12367_01_010302_20200306T053811.nc",
);

async function failure(bytes: Uint8Array, read = (b: Uint8Array) => readAll(b)): Promise<ProductError> {
  try {
    await read(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ProductError);
    return err as ProductError;
  }
  throw new Error("the damaged file was read without an error");
}

async function readAll(bytes: Uint8Array): Promise<void> {
  await attributesFromNetcdf(await openHdf5(bytesReader(bytes)));
}

const u32 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const u16 = (b: Uint8Array, at: number) => new DataView(b.buffer, b.byteOffset).getUint16(at, true);
const setU64 = (b: Uint8Array, at: number, v: number) =>
  new DataView(b.buffer, b.byteOffset).setBigUint64(at, BigInt(v), true);

/** Offset of the body of the first message of `type` in a version-1 object header's first chunk. */
function v1Message(bytes: Uint8Array, header: number, type: number): number {
  const end = header + 16 + u32(bytes, header + 8);
  for (let p = header + 16; p + 8 <= end; p += 8 + u16(bytes, p + 2)) {
    if (u16(bytes, p) === type) return p + 8;
  }
  throw new Error(`no message of type ${type} in the object header at ${header}`);
}

describe.skipIf(!HAVE_FIXTURES)("damaged S5P fixture", () => {
  const original = HAVE_FIXTURES ? new Uint8Array(readFileSync(CH4)) : new Uint8Array();

  it("truncated: names the structure that lies past the end", async () => {
    const err = await failure(original.slice(0, 100_000));
    expect(err.message).toMatch(
      /lies beyond the end of the 100000-byte file \(truncated\?\) \(at byte \d+\)/,
    );
    const tiny = await failure(original.slice(0, 40));
    expect(tiny.message).toMatch(/superblock/);
  });

  it("corrupt signatures: the file's and the root object header's", async () => {
    const notHdf5 = original.slice();
    notHdf5[1] = 0x58;
    expect((await failure(notHdf5)).message).toMatch(/no HDF5 signature .* not an HDF5\/netCDF-4 file/);
    const noHeader = original.slice();
    noHeader.set(new TextEncoder().encode("XXXX"), 96);
    expect((await failure(noHeader)).message).toMatch(/no object header.*\(at byte 96\)/);
  });

  it("a changed byte inside a checksummed object header", async () => {
    const flipped = original.slice();
    flipped[96 + 40]! ^= 0x01;
    expect((await failure(flipped)).message).toMatch(/object header checksum mismatch .*\(at byte 96\)/);
  });

  it("stops at the metadata byte limit instead of reading on", async () => {
    const err = await failure(original, async (b) => {
      await attributesFromNetcdf(await openHdf5(bytesReader(b), { limits: { maxMetadataBytes: 100_000 } }));
    });
    expect(err.message).toMatch(/past the 100000-byte limit/);
  });
});

describe("damaged structures of files written by h5py", async () => {
  const python = await findH5py();
  let dir = "";
  let file: Uint8Array = new Uint8Array();
  let addresses: Record<string, number> = {};
  beforeAll(async () => {
    if (!python) return;
    dir = mkdtempSync(join(tmpdir(), "hdf5-damaged-"));
    const made = JSON.parse(await h5pyTool(python, ["make", dir]));
    file = new Uint8Array(readFileSync(made.files["v0-earliest.h5"]));
    addresses = made.addresses;
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const attributesOf = (path: string) => async (b: Uint8Array) => {
    await (await openHdf5(bytesReader(b))).attributes(path);
  };
  const membersOf = (path: string) => async (b: Uint8Array) => {
    await (await openHdf5(bytesReader(b))).members(path);
  };

  it.skipIf(!python)("a continuation message that points back to its own header", async () => {
    const header = addresses["continued"]!;
    const damaged = file.slice();
    setU64(damaged, v1Message(damaged, header, 0x10), header + 16);
    const err = await failure(damaged, attributesOf("/continued"));
    expect(err.message).toMatch(new RegExp(`continuation loops back to chunk ${header + 16}`));
  });

  it.skipIf(!python)("a group B-tree whose child is the node itself", async () => {
    const damaged = file.slice();
    const btree = Number(
      new DataView(damaged.buffer).getBigUint64(v1Message(damaged, addresses["many"]!, 0x11), true),
    );
    setU64(damaged, btree + 8 + 16 + 8, btree); // child 0, after the node header and key 0
    const err = await failure(damaged, membersOf("/many"));
    expect(err.message).toMatch(new RegExp(`group B-tree node ${btree} is reached twice \\(a loop\\)`));
  });

  it.skipIf(!python)("a local heap that claims a terabyte", async () => {
    const damaged = file.slice();
    const st = v1Message(damaged, addresses["many"]!, 0x11);
    const heap = Number(new DataView(damaged.buffer).getBigUint64(st + 8, true));
    setU64(damaged, heap + 8, 2 ** 40);
    const err = await failure(damaged, membersOf("/many"));
    expect(err.message).toMatch(
      /local heap data segment claims 1099511627776 bytes, more than the \d+ allowed/,
    );
  });
});
