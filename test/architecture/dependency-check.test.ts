// The dependency check (`npm run deps`, .dependency-cruiser.cjs) run on a small planted tree: it must
// refuse each kind of import the layering forbids, type-only ones included, and let a downward one pass.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let dir: string;

/** Writes the files of a planted tree, runs the check on it, returns what it refused. */
async function check(files: Record<string, string>): Promise<Violation[]> {
  const tree = await mkdtemp(join(dir, "tree-"));
  await writeFile(join(tree, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "NodeNext" } }));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(tree, path)), { recursive: true });
    await writeFile(join(tree, path), text);
  }
  const roots = [...new Set(Object.keys(files).map((f) => f.split("/")[0]!))];
  const args = [CLI, "--config", join(ROOT, ".dependency-cruiser.cjs"), "--output-type", "json", ...roots];
  // The CLI exits with the number of errors; its JSON report is on stdout either way.
  const out = await run(process.execPath, args, { cwd: tree }).catch((e: { stdout?: string }) => {
    if (!e.stdout) throw e;
    return { stdout: e.stdout };
  });
  return (JSON.parse(out.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const names = (vs: Violation[]) => vs.map((v) => v.rule.name).sort();

describe("the dependency check", () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hexarchive-deps-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("lets a folder import a lower layer and the kernel files", async () => {
    const vs = await check({
      "shared/errors.ts": "export class CatalogueError extends Error {}\n",
      "shared/stac/types.ts":
        'import { CatalogueError } from "../errors.ts";\nexport type Item = CatalogueError;\n',
      "shared/api/app.ts": 'import type { Item } from "../stac/types.ts";\nexport type Served = Item;\n',
    });
    expect(vs).toEqual([]);
  });

  it("refuses a type-only import from a lower layer up to a higher one, and the cycle it closes", async () => {
    const vs = await check({
      "shared/stac/types.ts":
        'import type { Deps } from "../api/deps.ts";\nexport type Item = { deps: Deps };\n',
      "shared/api/deps.ts":
        'import type { Item } from "../stac/types.ts";\nexport type Deps = { item?: Item };\n',
    });
    expect(names(vs)).toEqual(["layers-stac", "no-circular"]);
    expect(vs.find((v) => v.rule.name === "layers-stac")).toMatchObject({
      from: "shared/stac/types.ts",
      to: "shared/api/deps.ts",
    });
  });

  it("refuses an import between two folders of one layer (ingest and download)", async () => {
    const vs = await check({
      "shared/ingest/index-item.ts": "export const API_SOURCE = 'api';\n",
      "shared/download/confine.ts":
        'import { API_SOURCE } from "../ingest/index-item.ts";\nexport const s = API_SOURCE;\n',
    });
    expect(names(vs)).toEqual(["layers-download"]);
  });

  it("refuses a kernel file importing a folder, and a folder that has no layer", async () => {
    const vs = await check({
      "shared/stac/types.ts": "export type Link = { href: string };\n",
      "shared/log.ts": 'import type { Link } from "./stac/types.ts";\nexport type L = Link;\n',
      "shared/extras/x.ts": "export const x = 1;\n",
      "shared/api/app.ts": 'import { x } from "../extras/x.ts";\nexport const y = x;\n',
    });
    expect(names(vs)).toEqual(["layers-kernel", "layers-unknown-folder"]);
  });

  it("keeps dev/ and test/ out of shared/, lambdas/ and cdk/", async () => {
    const vs = await check({
      "dev/local/stack.ts": "export const stack = 1;\n",
      "test/support/seed.ts": "export const seed = 1;\n",
      "shared/api/app.ts": 'import { seed } from "../../test/support/seed.ts";\nexport const a = seed;\n',
      "lambdas/api/handler.ts":
        'import { stack } from "../../dev/local/stack.ts";\nexport const h = stack;\n',
      "cdk/app.ts": 'import { stack } from "../dev/local/stack.ts";\nexport const c = stack;\n',
    });
    expect(names(vs)).toEqual(["cdk-not-to-dev", "deployed-code-not-to-dev", "deployed-code-not-to-dev"]);
  });
});
