// pystac-client 0.9.0 (its unmodified source in ../shared/clients/python) against the local stack with
// npm start's samples: `matched()` and the CLI's `search --matched` get a count, and
// `collection_search(filter=…)` is answered rather than refused.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const CLIENTS = join(import.meta.dirname, "../../../shared/clients/python");
const SCRIPT = join(import.meta.dirname, "pystac_scenarios.py");
const env = { ...process.env, PYTHONPATH: CLIENTS };

async function pystacMissing(): Promise<string | undefined> {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  try {
    await run(PYTHON, ["-c", "import pystac_client; assert pystac_client.__version__ == '0.9.0'"], { env });
    return undefined;
  } catch (e) {
    return `pystac-client 0.9.0 is not importable from ${CLIENTS}: ${(e as Error).message.split("\n").slice(-2).join(" ")}`;
  }
}
const missing = await pystacMissing();
if (missing) console.warn(`skipping pystac-client tests: ${missing}`);

let stack: TestStack;
// biome-ignore lint/suspicious/noExplicitAny: served JSON
let all: any[];

beforeAll(async () => {
  if (missing) return;
  stack = await startTestStack();
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
  all = (await stack.get("/search?limit=100")).body.features;
}, 120_000);
afterAll(() => stack?.close());

// Asynchronous on purpose: the API answers from this very process.
const client = async (scenario: string) => {
  const { stdout } = await run(PYTHON, [SCRIPT, `${stack.api}/`, scenario], { env, timeout: 60_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
};

describe.skipIf(missing)("pystac-client", () => {
  it("matched() returns the count, for GET and POST, and a date alone is its whole day", async () => {
    const out = await client("matched");
    expect(out.all).toBe(all.length);
    expect(out.all_ids).toEqual(all.map((f) => f.id).sort());
    expect(out.post_l2a).toBe(all.filter((f) => f.collection === "sentinel-2-l2a").length);
    const day = all.filter((f) => String(f.properties.datetime ?? "").startsWith("2024-05-14"));
    expect(day.length).toBeGreaterThan(0);
    expect(out.get_day).toBe(day.length);
    expect(out.day_ids).toEqual(day.map((f) => f.id).sort());
  });

  it("stac-client search --matched prints the count", async () => {
    const { stdout } = await run(
      PYTHON,
      ["-m", "pystac_client.cli", "search", `${stack.api}/`, "--matched"],
      { env, timeout: 60_000 },
    );
    expect(all.length).toBeGreaterThan(1);
    expect(stdout.trim()).toBe(`${all.length} items matched`);
  });

  it("collection_search(filter=…) in CQL2 text and JSON", async () => {
    const out = await client("collection_filter");
    expect(out.text).toEqual(out.all.filter((id: string) => id.startsWith("sentinel-2")));
    expect(out.text.length).toBeGreaterThan(0);
    expect(out.json.length).toBeGreaterThan(0);
    const others = (await stack.get("/collections")).body.collections
      .filter((c: { license: string }) => c.license === "other")
      .map((c: { id: string }) => c.id)
      .sort();
    expect(out.json).toEqual(others);
  });
});
