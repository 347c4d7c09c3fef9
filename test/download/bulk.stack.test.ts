// Bulk downloads with real curl, as a researcher runs them over a search result: one product after
// another never meets the per-user limit (a slot lasts while the transfer must still run), while more
// transfers started at once than allowed are refused with 429 and Retry-After.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { type SecuredStack, startSecuredStack } from "./secured-stack.ts";

const run = promisify(execFile);
const day = (i: number) => new Date(Date.UTC(2021, 0, 1 + i, 10)).toISOString().replace(".000Z", ".024Z");
const products = Array.from({ length: 100 }, (_, i) =>
  generateSentinel2Product({ tile: "33UVR", datetime: day(i) }),
);

/** curl following the redirect and reading the whole body, as `curl -L -u … -O` does. */
async function curl(api: string, name: string) {
  const url = `${api}/collections/sentinel-2-l2a/items/${name}/assets/product`;
  const { stdout } = await run("curl", [
    "-sS",
    "-L",
    "-u",
    "demo:demo-password",
    "-o",
    "/dev/null",
    "-D",
    "-",
    "-w",
    "\n%{http_code} %{size_download}\n",
    url,
  ]);
  const [status, size] = stdout.trim().split("\n").at(-1)!.split(" ").map(Number);
  const retryAfter = /^retry-after:\s*(\d+)/im.exec(stdout)?.[1];
  return {
    status: status!,
    size: size!,
    retryAfter: retryAfter === undefined ? undefined : Number(retryAfter),
  };
}

describe("one product after another", () => {
  let stack: SecuredStack;
  beforeAll(async () => {
    stack = await startSecuredStack();
    for (const p of products) await stack.upload(p.key, p.bytes, "application/zip");
  }, 120_000);
  afterAll(() => stack?.close());

  it("downloads 100 products in a row without a refusal", async () => {
    const refused: string[] = [];
    for (const p of products) {
      const r = await curl(stack.api, p.name);
      if (r.status !== 200 || r.size !== p.bytes.length) refused.push(`${p.name}: ${r.status}`);
    }
    expect(refused).toEqual([]);
  }, 120_000);
});

describe("more transfers at once than allowed", () => {
  let stack: SecuredStack;
  // Slots sized for a slow link (1 kB/s: these 57 kB products take about a minute each).
  beforeAll(async () => {
    stack = await startSecuredStack({ downloads: { leaseBytesPerSecond: 1000 } });
    for (const p of products.slice(0, 8)) await stack.upload(p.key, p.bytes, "application/zip");
  }, 60_000);
  afterAll(() => stack?.close());

  it("answers those above 4 with 429 and a Retry-After", async () => {
    const results = await Promise.all(products.slice(0, 8).map((p) => curl(stack.api, p.name)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.retryAfter).toBeGreaterThan(0);
  });
});
