// Runs the shell and Python examples of README.md and of every guide in docs/ (docs/*.md) against one
// local stack with the sample products, so that an example that no longer works fails CI. Files run in
// order (README first, then the guides by name), each block once.
//
// Convention: every ```sh, ```bash and ```python block runs, unless the line just before it (blank
// lines aside) is `<!-- not run: <reason> -->`; a marker without a reason fails the test. Each block
// runs in a fresh temporary directory whose `.data` links to the stack's data directory (so
// `.data/endpoints.json` is the stack's), with the examples' addresses replaced by the stack's:
// `http://localhost:3000` by the API, `http://127.0.0.1:4569` by the S3 endpoint. `API` (set in the first
// block of docs/search.md and used by later blocks as in one shell session) is the stack's API in
// every block's environment, and `npm run …` runs the checkout's scripts with HEXARCHIVE_DATA_DIR set
// to the stack's data directory, so they find it as they find `npm start`'s; `hexarchive …` runs the
// checkout's CLI (cli/bin/hexarchive.mjs, as `npm i -g .` would install it). Shell blocks run under
// `bash -e -o pipefail` with `curl` made to fail on HTTP errors (`--fail-with-body`), so a 4xx or 5xx
// answer fails the example; Python blocks run with /usr/bin/python3 and pystac(-client) from
// ../shared/clients/python. Product files the upload examples (docs/uploading.md) name are synthetic products written
// into the block's directory under those names (UPLOAD_FILES). A block followed by `<!-- output matches: <regex> -->` must print a line
// matching it (so a query that silently finds nothing fails). The run/skip counts are printed.
import { execFile } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_PRODUCTS, uploadSamples } from "../../dev/local/samples.ts";
import { generateProduct, type ProductSpec } from "../../dev/synthetic/plan-product.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const ROOT = resolve(__dirname, "../..");
/** README.md and the guides and design notes under docs/. */
const FILES = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];
const PYTHONPATH = resolve(__dirname, "../../../shared/clients/python");

interface Block {
  file: string;
  lang: string;
  line: number;
  code: string;
  skip?: string;
  expect?: RegExp;
}

/** The fenced sh/bash/python blocks of a Markdown text, with the reason of a `not run` marker. */
function readmeBlocks(file: string, text: string): Block[] {
  const lines = text.split("\n");
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)\s*$/.exec(lines[i] ?? "");
    if (!open) continue;
    let end = i + 1;
    while (end < lines.length && !/^```\s*$/.test(lines[end] ?? "")) end++;
    const lang = open[1] ?? "";
    if (["sh", "bash", "python"].includes(lang)) {
      let p = i - 1;
      while (p >= 0 && (lines[p] ?? "").trim() === "") p--;
      const marker = /^<!--\s*not run(?::\s*(.*?))?\s*-->$/.exec((lines[p] ?? "").trim());
      const block: Block = { file, lang, line: i + 1, code: lines.slice(i + 1, end).join("\n") };
      if (marker) block.skip = marker[1] ?? "";
      let n = end + 1;
      while (n < lines.length && (lines[n] ?? "").trim() === "") n++;
      const output = /^<!--\s*output matches:\s*(.*?)\s*-->$/.exec((lines[n] ?? "").trim());
      if (output?.[1]) block.expect = new RegExp(output[1], "m");
      blocks.push(block);
    }
    i = end;
  }
  return blocks;
}

/**
 * Product files the upload examples name: synthetic products (the samples' generator) are
 * written under these names into the block's directory.
 */
const UPLOAD_FILES: Record<string, ProductSpec> = {
  "S2B_MSIL2A_20240602T100019_N0510_R051_T33UWR_20240602T121719.SAFE.zip": SAMPLE_PRODUCTS[1]!,
  "S1A_IW_GRDH_1SDV_20210809T173953_20210809T174018_039156_049F13_6FF8.zip": {
    mission: "sentinel-1",
    productType: "GRD",
    mode: "IW",
    datetime: "2021-08-09T17:39:53.000Z",
    pass: "ASCENDING",
  },
};

/** A program or Python module the block uses that this machine lacks (the block is then skipped). */
async function missingTool(b: Block): Promise<string | undefined> {
  const tools = b.lang === "python" ? [] : ["curl", "jq", "file", "gdalinfo", "aws", "aria2c"];
  for (const t of tools)
    if (new RegExp(`(^|[\\s|$(])${t}\\s`, "m").test(b.code))
      if (!(await run("sh", ["-c", `command -v ${t}`]).catch(() => false))) return t;
  if (b.lang === "python")
    for (const m of b.code.matchAll(/^(?:from|import) (\w+)/gm))
      if (
        !(await run("/usr/bin/python3", ["-c", `import ${m[1]}`], { env: { PYTHONPATH } }).catch(() => false))
      )
        return `python module ${m[1]}`;
  return undefined;
}

const blocks = FILES.flatMap((f) => readmeBlocks(f, readFileSync(join(ROOT, f), "utf8")));
let stack: TestStack;
const dataDir = () => dirname(stack.endpoints.deadLetterFile);
const counts = { run: 0, skipped: 0, missing: 0 };

beforeAll(async () => {
  // As `npm start`: search public, downloads signed in.
  stack = await startTestStack({ access: parseAccessPolicy(undefined) });
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
}, 120_000);
afterAll(async () => {
  console.log(
    `README and docs examples: ${counts.run} run, ${counts.skipped} skipped (marked not run), ${counts.missing} skipped (a tool missing)`,
  );
  await stack?.close();
});

const substitute = (code: string) =>
  code
    .replaceAll("http://localhost:3000", stack.api)
    .replaceAll("http://127.0.0.1:4569", stack.endpoints.s3.endpoint);

describe("README and docs examples", () => {
  it("every block marked not run says why", () => {
    for (const b of blocks.filter((b) => b.skip !== undefined))
      expect(b.skip, `${b.file}:${b.line} not run without a reason`).not.toBe("");
  });

  for (const b of blocks) {
    const name = `${b.file}:${b.line} (${b.lang})`;
    if (b.skip !== undefined) {
      // Deploy and install commands: listed with their reason, not registered as (skipped) tests.
      console.log(`${name}: not run: ${b.skip}`);
      counts.skipped++;
      continue;
    }
    it(name, async () => {
      if (b.lang === "python" && !existsSync("/usr/bin/python3")) {
        console.log(`${name} skipped: /usr/bin/python3 is not installed`);
        counts.missing++;
        return;
      }
      const missing = await missingTool(b);
      if (missing) {
        console.log(`${name} skipped: ${missing} is not installed (.ci/run lists what CI installs)`);
        counts.missing++;
        return;
      }
      counts.run++;
      const dir = mkdtempSync(join(tmpdir(), "hexarchive-readme-"));
      try {
        symlinkSync(dataDir(), join(dir, ".data"));
        for (const [file, spec] of Object.entries(UPLOAD_FILES))
          if (b.code.includes(file)) writeFileSync(join(dir, file), generateProduct(spec).bytes);
        const code = substitute(b.code);
        const env = {
          ...process.env,
          PYTHONPATH,
          API: stack.api,
          HEXARCHIVE_DATA_DIR: dataDir(),
        };
        const [cmd, args] =
          b.lang === "python"
            ? ["/usr/bin/python3", ["-c", code]]
            : [
                "bash",
                [
                  "-e",
                  "-o",
                  "pipefail",
                  "-c",
                  `curl() { command curl --fail-with-body "$@"; }\nnpm() { command npm --prefix "${ROOT}" "$@"; }\nhexarchive() { node "${ROOT}/cli/bin/hexarchive.mjs" "$@"; }\n${code}`,
                ],
              ];
        const { stdout } = await run(cmd, args, { cwd: dir, env, timeout: 30_000 }).catch((err) => {
          throw new Error(`${name} failed:\n${code}\n--- stdout\n${err.stdout}\n--- stderr\n${err.stderr}`);
        });
        if (b.expect) expect(stdout, `${name}: its output`).toMatch(b.expect);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 40_000);
  }
});
