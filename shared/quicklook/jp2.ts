// JPEG 2000 decoding (JP2 files such as Sentinel-2's `_PVI.jp2`, or bare codestreams) with OpenJPEG
// compiled to WebAssembly (@cornerstonejs/codec-openjpeg, decode-only build). Its wasm is a side file:
// the package's build with the wasm inline (base64) decodes 5–10× slower, so a bundle ships the file
// next to itself (WASM_FILE) and we hand its bytes to the loader. Loaded lazily: only conversions need it.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { OpenJpegModule } from "@cornerstonejs/codec-openjpeg/decodewasmjs";
import { ProductError } from "../errors.ts";
import { MAX_PIXELS, type Raster } from "./raster.ts";

const JP2_SIGNATURE = [0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
const SOC_SIZ = [0xff, 0x4f, 0xff, 0x51];

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);
export const isJpeg2000 = (b: Uint8Array) => startsWith(b, JP2_SIGNATURE) || startsWith(b, SOC_SIZ);

export interface CodestreamHeader {
  width: number;
  height: number;
  components: number;
  /** Wavelet decomposition levels: the picture can be decoded at 1/2, 1/4 … 1/2^levels of its size. */
  levels: number;
}

/** Where the codestream starts: 0 for a bare one, else the content of the JP2's `jp2c` box. */
function codestreamOffset(b: Uint8Array): number {
  if (startsWith(b, SOC_SIZ)) return 0;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 0; at + 8 <= b.length; ) {
    let length = dv.getUint32(at);
    let header = 8;
    if (length === 1) {
      if (at + 16 > b.length) break;
      length = Number(dv.getBigUint64(at + 8));
      header = 16;
    }
    if (dv.getUint32(at + 4) === 0x6a703263 /* jp2c */) return at + header;
    if (length === 0 || length < header) break;
    at += length;
  }
  throw new ProductError("JPEG 2000 file without a codestream (no jp2c box)");
}

/** Size, components and decomposition levels from the SIZ and COD markers, without decoding. */
export function readCodestreamHeader(b: Uint8Array): CodestreamHeader {
  const start = codestreamOffset(b);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (start + 42 > b.length || !startsWith(b, SOC_SIZ, start))
    throw new ProductError("JPEG 2000 codestream does not start with SOC and SIZ markers");
  const siz = start + 2;
  const width = dv.getUint32(siz + 6) - dv.getUint32(siz + 14);
  const height = dv.getUint32(siz + 10) - dv.getUint32(siz + 18);
  const components = dv.getUint16(siz + 38);
  // Marker segments follow SIZ up to the first tile (SOT); COD holds the decomposition levels.
  let levels = 0;
  for (let at = siz + 2 + dv.getUint16(siz + 2); at + 4 <= b.length; ) {
    const marker = dv.getUint16(at);
    if (marker === 0xff90 || (marker & 0xff00) !== 0xff00) break;
    if (marker === 0xff52 && at + 9 < b.length) {
      levels = b[at + 9]!;
      break;
    }
    at += 2 + dv.getUint16(at + 2);
  }
  return { width, height, components, levels };
}

/** The wasm file's name in the package; a bundle carries a copy of it beside its own script. */
export const WASM_FILE = "openjpegwasm_decode.wasm";

function wasmPath(): string {
  const beside = fileURLToPath(new URL(WASM_FILE, import.meta.url));
  if (existsSync(beside)) return beside;
  try {
    return createRequire(import.meta.url).resolve("@cornerstonejs/codec-openjpeg/decodewasm");
  } catch (cause) {
    throw new Error(
      `JPEG 2000 decoding needs ${WASM_FILE} beside the bundle (${beside}) or the package @cornerstonejs/codec-openjpeg`,
      { cause },
    );
  }
}

let openJpeg: Promise<OpenJpegModule> | undefined;

function loadOpenJpeg(): Promise<OpenJpegModule> {
  openJpeg ??= (async () => {
    const wasmBinary = await readFile(wasmPath());
    const { default: factory } = await import("@cornerstonejs/codec-openjpeg/decodewasmjs");
    // The Emscripten loader reads `__dirname` when it starts; an ESM bundle has none, and the name is
    // only used to find the wasm file, which we pass in instead.
    const g = globalThis as { __dirname?: string };
    const shim = g.__dirname === undefined;
    if (shim) g.__dirname = "/";
    try {
      // OpenJPEG reports progress on stdout ("[INFO] Main header has been correctly decoded"): drop it.
      return await factory({ wasmBinary, print: () => {}, printErr: () => {} });
    } finally {
      if (shim) delete g.__dirname;
    }
  })();
  openJpeg.catch(() => {
    openJpeg = undefined;
  });
  return openJpeg;
}

/**
 * Decodes a JPEG 2000 picture to RGBA. When the picture is much larger than `maxSide`, only a lower
 * resolution level is decoded (the smallest still at least `maxSide` on its longest side): a 10980 px
 * true-colour image decodes at 686 px, in a fraction of the time and memory.
 */
export async function decodeJpeg2000(bytes: Uint8Array, maxSide: number): Promise<Raster> {
  const header = readCodestreamHeader(bytes);
  let level = 0;
  while (level < header.levels && Math.max(header.width, header.height) / 2 ** (level + 1) >= maxSide)
    level++;
  if (Math.ceil(header.width / 2 ** level) * Math.ceil(header.height / 2 ** level) > MAX_PIXELS)
    throw new ProductError(`JPEG 2000 picture of ${header.width}×${header.height} is too large to convert`);
  const m = await loadOpenJpeg();
  const decoder = new m.J2KDecoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    try {
      if (level > 0) decoder.decodeSubResolution(level, 0);
      else decoder.decode();
    } catch (cause) {
      throw new ProductError("JPEG 2000 picture could not be decoded", { cause });
    }
    const info = decoder.getFrameInfo();
    const { width, height } = level > 0 ? decoder.calculateSizeAtDecompositionLevel(level) : info;
    return toRgba(decoder.getDecodedBuffer(), width, height, info);
  } finally {
    decoder.delete();
  }
}

/** Interleaved samples of 1–4 components (grey, grey+alpha, RGB, RGBA) of any depth → 8-bit RGBA. */
function toRgba(
  samples: Uint8Array,
  width: number,
  height: number,
  info: { bitsPerSample: number; componentCount: number; isSigned: boolean },
): Raster {
  const c = info.componentCount;
  const bits = info.bitsPerSample;
  const wide = bits > 8;
  const n = width * height;
  if (c < 1 || c > 4 || bits < 1 || bits > 16 || samples.length < n * c * (wide ? 2 : 1))
    throw new ProductError(`JPEG 2000 picture with ${c} components of ${bits} bits cannot be shown`);
  const dv = new DataView(samples.buffer, samples.byteOffset, samples.byteLength);
  const offset = info.isSigned ? 2 ** (bits - 1) : 0;
  const max = 2 ** bits - 1;
  const sample = (i: number) => {
    const raw = wide ? (info.isSigned ? dv.getInt16(i * 2, true) : dv.getUint16(i * 2, true)) : samples[i]!;
    const v = (info.isSigned && !wide ? (raw << 24) >> 24 : raw) + offset;
    return bits === 8 ? v : Math.round((Math.min(max, Math.max(0, v)) * 255) / max);
  };
  const out = new Uint8Array(n * 4);
  for (let p = 0; p < n; p++) {
    const s = p * c;
    const o = p * 4;
    const grey = c < 3;
    out[o] = sample(s);
    out[o + 1] = grey ? out[o]! : sample(s + 1);
    out[o + 2] = grey ? out[o]! : sample(s + 2);
    out[o + 3] = c === 2 || c === 4 ? sample(s + c - 1) : 255;
  }
  return { width, height, data: out };
}
