// Types for the decode-only build of @cornerstonejs/codec-openjpeg, which ships none: only what
// shared/quicklook/jp2.ts calls.
declare module "@cornerstonejs/codec-openjpeg/decodewasmjs" {
  export interface FrameInfo {
    width: number;
    height: number;
    bitsPerSample: number;
    componentCount: number;
    isSigned: boolean;
  }
  export interface J2KDecoder {
    /** A view into wasm memory of `length` bytes, to copy the encoded image into. */
    getEncodedBuffer(length: number): Uint8Array;
    /** A view into wasm memory: samples pixel-interleaved, 1 byte each up to 8 bits, else 2 (LE). */
    getDecodedBuffer(): Uint8Array;
    decode(): void;
    /** Decodes at 1/2^level of the full size; getFrameInfo() still reports the full size. */
    decodeSubResolution(level: number, layer: number): void;
    calculateSizeAtDecompositionLevel(level: number): { width: number; height: number };
    getFrameInfo(): FrameInfo;
    delete(): void;
  }
  export interface OpenJpegModule {
    J2KDecoder: new () => J2KDecoder;
  }
  const factory: (overrides?: {
    /** The bytes of openjpegwasm_decode.wasm, so that the loader reads no file itself. */
    wasmBinary?: Uint8Array;
    print?: (text: string) => void;
    printErr?: (text: string) => void;
  }) => Promise<OpenJpegModule>;
  export default factory;
}
