// `hexarchive export --format geoparquet` → `hexarchive import --geoparquet` into an empty second
// catalogue, through the real binary: the file holds every item and the collections, and both
// catalogues then answer the same searches with the same items (the archive's record dates aside).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { readStacGeoparquet } from "../../shared/export/geoparquet-read.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const BIN = resolve(import.meta.dirname, "../../cli/bin/hexarchive.mjs");
let source: TestStack;
let target: TestStack;
let work: string;

function cli(api: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { user, password } = source.endpoints.auth.operator;
  const env = {
    PATH: process.env["PATH"],
    HOME: work,
    HEXARCHIVE_CONFIG: join(work, "no-config.json"),
    HEXARCHIVE_URL: api,
    HEXARCHIVE_USER: user,
    HEXARCHIVE_PASSWORD: password,
  };
  return new Promise((done) =>
    execFile(process.execPath, [BIN, ...args], { env, cwd: work, timeout: 90_000 }, (err, stdout, stderr) =>
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

beforeAll(async () => {
  const access = parseAccessPolicy(undefined);
  [source, target] = await Promise.all([startTestStack({ access }), startTestStack({ access })]);
  await uploadSamples(source.s3, source.bucket);
  await source.settled();
  work = mkdtempSync(join(tmpdir(), "hexarchive-geoparquet-"));
}, 120_000);
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What a search shows of each item, without what the serving catalogue writes for itself. */
async function results(stack: TestStack, body: Record<string, unknown>) {
  const res = await stack.post("/search", { limit: 1000, ...body });
  expect(res.status).toBe(200);
  return res.body.features.map((f: Record<string, unknown>) => {
    const { created: _c, updated: _u, ...properties } = f["properties"] as Record<string, unknown>;
    const assets = Object.fromEntries(
      Object.entries(f["assets"] as Record<string, Record<string, unknown>>).map(([k, a]) => {
        const { "auth:refs": _r, ...rest } = a;
        return [k, rest];
      }),
    );
    return {
      id: f["id"],
      collection: f["collection"],
      geometry: f["geometry"],
      bbox: f["bbox"],
      properties,
      assets,
    };
  });
}

describe("hexarchive export and import as stac-geoparquet", () => {
  it("round-trips a catalogue through one stac-geoparquet file", async () => {
    const file = join(work, "catalogue.parquet");
    const exported = await cli(source.api, ["export", "--format", "geoparquet", "-o", file, "--json"]);
    expect(exported.code, exported.stderr).toBe(0);
    const summary = JSON.parse(exported.stdout);
    const parsed = await readStacGeoparquet(readFileSync(file));
    expect(parsed.items).toHaveLength(summary.items);
    expect(parsed.collections).toHaveLength(summary.collections);
    expect(summary.items).toBe((await source.post("/search", { limit: 1 })).body.numberMatched);

    const imported = await cli(target.api, ["import", "--geoparquet", file, "--json"]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).items).toBe(summary.items);
    expect(existsSync(`${file}.checkpoint`)).toBe(false);

    for (const body of [
      {},
      { collections: ["sentinel-2-l2a"] },
      { bbox: [12, 48, 19, 51] },
      { datetime: "2024-05-01T00:00:00Z/2024-06-30T23:59:59Z" },
    ]) {
      const want = await results(source, body);
      expect(want.length, JSON.stringify(body)).toBeGreaterThan(0);
      expect(await results(target, body), JSON.stringify(body)).toEqual(want);
    }
  }, 180_000);

  it("refuses --format geoparquet without a file, and a file that is not Parquet", async () => {
    const noFile = await cli(source.api, ["export", "--format", "geoparquet"]);
    expect(noFile.code).not.toBe(0);
    expect(noFile.stderr).toMatch(/-o/);
    const bad = join(work, "bad.parquet");
    writeFileSync(bad, "not parquet");
    const r = await cli(target.api, ["import", "--geoparquet", bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/not a stac-geoparquet file/);
  });
});
