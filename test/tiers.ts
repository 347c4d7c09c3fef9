// The test tiers (see test/README.md): a file's tier follows from its folder or its name, so that the
// name alone says what a test starts. vitest.config.ts makes one project of each; test/tiers.test.ts
// checks that every file sits in exactly one and starts only what its tier allows.

export interface Tier {
  name: string;
  /** What a file of this tier may start, in one line (test/README.md says more). */
  runs: string;
  include: string[];
  exclude?: string[];
  /**
   * false: a worker runs several files of the tier in one module graph rather than loading it again
   * for each file (loading was most of a small file's time). Only for files that change no global
   * state (no vi.mock, no process.env writes) and leave nothing running after their afterAll.
   */
  isolate?: boolean;
}

/** Folders whose files form a tier of their own, whatever their names. */
const FOLDER_TIERS = ["test/clients/**", "test/cdk/**", "test/bench/**"];
const SUFFIXES = ["emu", "stack", "heavy"];

export const TIERS: Tier[] = [
  {
    name: "unit",
    runs: "pure code, files and command-line tools; no emulator, server or stack",
    include: ["test/**/*.test.ts"],
    exclude: [...FOLDER_TIERS, ...SUFFIXES.map((s) => `test/**/*.${s}.test.ts`)],
    isolate: false,
  },
  {
    name: "emu",
    runs: "in process over the emulators: test/support/table.ts (dynalite) or test/support/app.ts (the API)",
    include: ["test/**/*.emu.test.ts"],
    exclude: FOLDER_TIERS,
    // Each file starts its own emulators on free ports and closes them; the module graph is shared.
    isolate: false,
  },
  {
    name: "stack",
    runs: "the whole local stack (test/support/stack.ts): S3 events, the ingest queue, the API over HTTP",
    include: ["test/**/*.stack.test.ts"],
    exclude: FOLDER_TIERS,
  },
  {
    name: "clients",
    runs: "real clients (GDAL, pystac-client, sentinelsat, Chromium) against the local stack",
    include: ["test/clients/**/*.test.ts"],
  },
  {
    name: "heavy",
    runs: "long runs against the local stack: generated hostile input, uploads with kills",
    include: ["test/**/*.heavy.test.ts"],
    exclude: FOLDER_TIERS,
  },
  { name: "cdk", runs: "CDK template assertions and cdk-nag", include: ["test/cdk/**/*.test.ts"] },
  { name: "bench", runs: "the benchmark, run small", include: ["test/bench/**/*.test.ts"] },
];

/** The tiers run every day (`npm run test:everyday`); the rest run in CI and on demand. */
export const EVERYDAY = ["unit", "emu", "stack"];
