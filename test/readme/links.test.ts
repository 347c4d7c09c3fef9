// Keeps README.md and the guides in docs/ findable and true to the tree: every guide is linked from the
// README, every relative link (and its #anchor) resolves (a link to a screenshot in test-artifacts/, which
// the tests write, names one that a client test writes), and every path of this repository that the
// text names exists. The dated measurement log is exempt from the last check: its entries keep the
// paths of their date.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(__dirname, "../..");
const GUIDES = readdirSync(join(ROOT, "docs"))
  .filter((f) => f.endsWith(".md"))
  .map((f) => `docs/${f}`);
const FILES = ["README.md", ...GUIDES];
/** Paths in entries written at their date, not kept up with later moves. */
const DATED = new Set(["docs/measurements.md"]);

const text = (file: string) => readFileSync(join(ROOT, file), "utf8");
/** The text outside fenced code blocks (a link or a path inside an example is the example's business). */
const prose = (md: string) => md.replace(/^```[\s\S]*?^```/gm, "");

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, "")
    .replaceAll(" ", "-");
const anchors = (md: string) =>
  new Set(
    prose(md)
      .match(/^#{1,6} .*$/gm)
      ?.map((h) => slug(h.replace(/^#+ /, ""))) ?? [],
  );

/** Relative Markdown links `[text](target)` of a file, as repository paths with their anchor. */
function links(file: string): { target: string; anchor?: string }[] {
  const out: { target: string; anchor?: string }[] = [];
  for (const m of prose(text(file)).matchAll(/\]\(([^)\s]+)\)/g)) {
    const href = m[1] ?? "";
    if (/^[a-z]+:/i.test(href)) continue;
    const [path = "", anchor] = href.split("#");
    const target = path === "" ? file : normalize(join(dirname(file), path)).replace(/\/$/, "");
    out.push(anchor === undefined ? { target } : { target, anchor });
  }
  return out;
}

/** Paths into this repository's source folders named in a file's prose (`../shared/…` is a sibling). */
const repoPaths = (file: string) => [
  ...new Set(
    [...prose(text(file)).matchAll(/(?<![\w./-])(?:shared|dev|cdk|lambdas|test|docs)\/[\w./-]*/g)].map((m) =>
      m[0].replace(/[.]+$/, ""),
    ),
  ),
];

/** Git-ignored output of the tests (screenshots): linked files exist only after the tests have run. */
const ARTEFACTS = "test-artifacts";
const CLIENT_TESTS = join(ROOT, "test", "clients");

/**
 * Whether a client test writes this screenshot: one test file names its folder and its name
 * (`SHOTS = "test-artifacts/search-page"` … `shot("05-product")` or `${SHOTS}/10-product-files.png`).
 */
function writtenByATest(target: string): boolean {
  const folder = dirname(target);
  const stem = target.slice(folder.length + 1).replace(/\.png$/, "");
  return readdirSync(CLIENT_TESTS)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => readFileSync(join(CLIENT_TESTS, f), "utf8"))
    .some((src) => src.includes(`"${folder}"`) && new RegExp(`["/]${stem}[".]`).test(src));
}

describe("README and docs", () => {
  it("link every guide in docs/ from the README", () => {
    const linked = new Set(links("README.md").map((l) => l.target));
    expect(GUIDES.filter((g) => !linked.has(g))).toEqual([]);
  });

  it("have relative links whose files and anchors exist", () => {
    const broken: string[] = [];
    for (const file of FILES)
      for (const { target, anchor } of links(file)) {
        if (target.startsWith(`${ARTEFACTS}/`)) {
          if (!writtenByATest(target)) broken.push(`${file} -> ${target} (no test writes it)`);
        } else if (!existsSync(join(ROOT, target))) broken.push(`${file} -> ${target}`);
        else if (anchor !== undefined && target.endsWith(".md") && !anchors(text(target)).has(anchor))
          broken.push(`${file} -> ${target}#${anchor}`);
      }
    expect(broken).toEqual([]);
  });

  it("name only paths of this repository that exist", () => {
    const missing = FILES.filter((f) => !DATED.has(f)).flatMap((f) =>
      repoPaths(f)
        .filter((p) => !existsSync(join(ROOT, p)))
        .map((p) => `${f}: ${p}`),
    );
    expect(missing).toEqual([]);
  });
});
