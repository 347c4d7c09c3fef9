// The `hexarchive` CLI as a user installs it: `npm pack` of cli/ (its prepack bundles the command),
// `npm i -g --prefix <tmp> --offline` of that tarball, then the installed `hexarchive` run by name with a
// PATH holding only it and node (no tsx, no node_modules/.bin, no checkout) against the local stack:
// help, version (also through `npx --package <tarball>`), an upload (the S3 client, loaded only by
// `upload`) and a search that finds the product.
import { execFile } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const CLI_DIR = resolve(__dirname, "../../cli");
const product = generateSentinel2Product({ tile: "32TMT", datetime: "2024-07-03T10:20:31.024Z" });

let stack: TestStack;
let work: string;
/** The `--prefix` of the global install: `bin/hexarchive`, `lib/node_modules/hexarchive-cli/`. */
let prefix: string;
/** A folder holding only a link to this node. */
let nodeOnly: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { env, cwd, timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      done({
        code: err ? ((err as { code?: number }).code ?? 1) : 0,
        stdout: String(stdout),
        stderr: String(stderr),
      }),
    );
  });
}

/** The installed command, found by name on a PATH of its own bin folder and node: nothing else. */
function hexarchive(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return run(
    "hexarchive",
    args,
    {
      PATH: `${join(prefix, "bin")}:${nodeOnly}`,
      HOME: work,
      HEXARCHIVE_CONFIG: join(work, "no-config.json"),
      HEXARCHIVE_URL: stack.api,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...extra,
    },
    work,
  );
}

beforeAll(async () => {
  stack = await startTestStack({ access: parseAccessPolicy(undefined) });
  work = mkdtempSync(join(tmpdir(), "hexarchive-cli-install-"));
  prefix = join(work, "global");
  nodeOnly = join(work, "node-only");
  mkdirSync(nodeOnly);
  symlinkSync(process.execPath, join(nodeOnly, "node"));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("hexarchive-cli, packed and installed with npm i -g", () => {
  it("packs into a tarball whose installed bin runs without tsx or the checkout", async () => {
    // Packing happens in the checkout (its prepack builds with esbuild), as a release would.
    const pack = await run(
      "npm",
      ["pack", CLI_DIR, "--pack-destination", work, "--json"],
      { ...process.env, npm_config_update_notifier: "false" },
      work,
    );
    expect(pack.code, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    const paths = packed!.files.map((f) => f.path);
    expect(paths).toContain("dist/hexarchive.mjs");
    expect(
      paths.every((p) => p === "package.json" || p.startsWith("dist/")),
      paths.join(" "),
    ).toBe(true);

    // Offline: a bundle with no dependencies needs nothing from a registry.
    const install = await run(
      "npm",
      ["i", "-g", "--prefix", prefix, "--offline", "--no-audit", "--no-fund", join(work, packed!.filename)],
      { PATH: `${nodeOnly}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: work },
      work,
    );
    expect(install.code, install.stderr).toBe(0);
    const installed = join(prefix, "lib", "node_modules", "hexarchive-cli");
    expect(readdirSync(installed).sort()).toEqual(["dist", "package.json"]);
    // The command's own file stays small: the AWS SDK is in a chunk only `upload` reads.
    expect(statSync(join(installed, "dist", "hexarchive.mjs")).size).toBeLessThan(150_000);

    const help = await hexarchive(["--help"]);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: hexarchive <command> \[options\]$/m);
    expect(help.stdout).toMatch(/^ {2}search {9}/m);
    const version = await hexarchive(["--version"]);
    const expected = JSON.parse(readFileSync(join(CLI_DIR, "package.json"), "utf8")).version;
    expect(version.stdout.trim()).toBe(expected);

    // And without installing it: npx runs the tarball's bin (offline too).
    const npx = await run(
      "npx",
      ["--offline", "--yes", "--package", join(work, packed!.filename), "hexarchive", "--version"],
      { PATH: `${nodeOnly}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: work },
      work,
    );
    expect(npx.code, npx.stderr).toBe(0);
    expect(npx.stdout.trim()).toBe(expected);
  }, 60_000);

  it("uploads a product and finds it with search, against the local stack", async () => {
    const file = join(work, basename(product.key));
    writeFileSync(file, product.bytes);
    const up = await hexarchive(
      [
        "upload",
        file,
        "--prefix",
        "sentinel-2/",
        "--bucket",
        stack.bucket,
        "--s3-endpoint",
        stack.endpoints.s3.endpoint,
        "--json",
      ],
      { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER" },
    );
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout).files.map((f: { key: string }) => f.key)).toEqual([
      `sentinel-2/${basename(file)}`,
    ]);
    await stack.settled();

    const found = await hexarchive(["search", "-c", "sentinel-2-l2a", "--bbox", "8,44,10,46", "--json"]);
    expect(found.code, found.stderr).toBe(0);
    expect((JSON.parse(found.stdout) as { id: string }[]).map((i) => i.id)).toEqual([product.name]);
    const table = await hexarchive(["search", "-c", "sentinel-2-l2a", "--bbox", "8,44,10,46"]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(product.name);
    const count = await hexarchive(["search", "-c", "sentinel-2-l2a", "--count"]);
    expect(count.stdout.trim()).toBe("1");
  }, 60_000);
});
