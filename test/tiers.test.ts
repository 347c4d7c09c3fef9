// Every test file sits in exactly one tier (test/tiers.ts), and a unit or emulator test starts nothing
// heavier than its tier allows: a file that boots the local stack cannot hide among the fast tiers.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TIERS } from "./tiers.ts";

const ROOT = resolve(import.meta.dirname, "..");

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}
const testFiles = walk(join(ROOT, "test"))
  .map((f) => relative(ROOT, f))
  .filter((f) => f.endsWith(".test.ts"))
  .sort();

/** The glob subset test/tiers.ts uses: `**` (any folders), `*` (within one name). */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) =>
      part === "**/"
        ? "(?:.*/)?"
        : part === "**"
          ? ".*"
          : part === "*"
            ? "[^/]*"
            : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}$`);
}
const matches = (file: string, globs: string[] | undefined) =>
  (globs ?? []).some((g) => globToRegExp(g).test(file));
const tiersOf = (file: string) =>
  TIERS.filter((t) => matches(file, t.include) && !matches(file, t.exclude)).map((t) => t.name);

/** Modules that start the whole local stack, and modules that start an emulator. */
const STACK = ["test/support/stack.ts", "dev/local/stack.ts", "dev/local/main.ts"];
const EMULATORS = [
  "dynalite",
  "s3rver",
  "test/support/app.ts",
  "test/support/table.ts",
  "dev/local/dynamo-child.ts",
];

/**
 * Everything a file loads at run time, following its relative imports through test/ (helpers such as
 * test/download/secured-stack.ts); type-only imports load nothing and are left out.
 */
function loads(file: string, seen = new Set<string>()): Set<string> {
  const source = readFileSync(join(ROOT, file), "utf8");
  for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)) {
    if (m[1]) continue;
    const spec = m[2]!;
    const target = spec.startsWith(".") ? relative(ROOT, resolve(dirname(join(ROOT, file)), spec)) : spec;
    if (seen.has(target)) continue;
    seen.add(target);
    if (target.startsWith("test/") && existsSync(join(ROOT, target))) loads(target, seen);
  }
  return seen;
}

describe("test tiers", () => {
  it("finds the test files", () => {
    expect(testFiles.length).toBeGreaterThan(50);
    expect(tiersOf("test/api/aggregate.emu.test.ts")).toEqual(["emu"]);
    expect(tiersOf("test/clients/gdal.test.ts")).toEqual(["clients"]);
    expect(tiersOf("test/search/cql2/evaluate.test.ts")).toEqual(["unit"]);
  });

  it("puts every test file in exactly one tier", () => {
    const wrong = testFiles.map((f) => ({ f, tiers: tiersOf(f) })).filter((x) => x.tiers.length !== 1);
    expect(wrong).toEqual([]);
  });

  it("keeps the local stack out of the unit and emulator tiers, and emulators out of the unit tier", () => {
    const misplaced: string[] = [];
    for (const f of testFiles) {
      const [tier] = tiersOf(f);
      const loaded = loads(f);
      const stack = STACK.some((m) => loaded.has(m));
      const emulators = EMULATORS.some((m) => loaded.has(m));
      if (tier === "unit" && (stack || emulators))
        misplaced.push(
          `${f}: starts ${stack ? "the local stack" : "an emulator"}; name it *.stack.test.ts or *.emu.test.ts`,
        );
      if (tier === "emu" && stack) misplaced.push(`${f}: starts the local stack; name it *.stack.test.ts`);
      if (tier === "emu" && !emulators) misplaced.push(`${f}: starts no emulator; name it *.test.ts`);
    }
    expect(misplaced).toEqual([]);
  });

  it("leaves global state alone in tiers whose files share a module graph (isolate: false)", () => {
    const shared = new Set(TIERS.filter((t) => t.isolate === false).map((t) => t.name));
    const global =
      /vi\.(mock|doMock|stubEnv|stubGlobal|useFakeTimers)\b|process\.env(\.\w+|\[[^\]]+\])\s*=[^=]/;
    const offenders = testFiles.filter(
      (f) => shared.has(tiersOf(f)[0] ?? "") && global.test(readFileSync(join(ROOT, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
