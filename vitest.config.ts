import { defineConfig } from "vitest/config";
import { TIERS } from "./test/tiers.ts";

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration suites each start their own emulators on free ports; two workers match the machine.
    // One limit for the whole run: every project shares the same group, so all tiers together use two.
    maxWorkers: 2,
    env: {
      AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
      AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    // One project per tier (test/tiers.ts, test/README.md): `vitest run` runs them all, `--project` one.
    projects: TIERS.map((t) => ({
      extends: true as const,
      test: { name: t.name, include: t.include, exclude: t.exclude ?? [], isolate: t.isolate ?? true },
    })),
  },
});
