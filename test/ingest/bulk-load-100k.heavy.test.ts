// 100,000 items of an NDJSON catalogue through the bulk import path (`npm run load`, the stack
// stopped: the emulator's direct channel), the loading process killed with SIGKILL about a third of the
// way and the same command run again: afterwards every item is in the store exactly once, the
// collections exist, and searches through the started stack equal brute force over the file (the bench's
// eight queries, every page, 40 seeded random searches, and one at each real item). Among the generated
// items are the real items of other catalogues in ../shared/fixtures (stac-items-real), spread over the
// file, before and after the kill; the two without a collection are reported as bad lines by number.
// Prints the figures of both runs.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { generateItem } from "../../dev/bench/generate.ts";
import { writeNdjson } from "../../dev/bench/ndjson.ts";
import { type BenchQuery, defaultQueries, RANDOM_PAGES, randomQueries } from "../../dev/bench/queries.ts";
import { allPages, bruteForce, summaryOf } from "../../dev/bench/run.ts";
import { type LocalStack, startLocalStack } from "../../dev/local/stack.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { itemsPartition, PK } from "../../shared/index/keys.ts";
import { silentLogger } from "../../shared/log.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { FIXTURES, HAVE_FIXTURES } from "../products/reference.ts";
import { withCachedAuthFile } from "../support/auth-file.ts";

const N = 100_000;
const SEED = 20;
const ROOT = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "hexarchive-load-100k-"));
const dataDir = join(dir, "data");
const file = join(dir, "catalogue.ndjson");
let stack: LocalStack | undefined;

/** Real items other catalogues serve (CDSE, Earth Search, Planetary Computer, stactools). */
function realItems(): StacItem[] {
  if (!HAVE_FIXTURES) {
    console.warn(`real items left out: ${FIXTURES} is missing`);
    return [];
  }
  const root = join(FIXTURES, "stac-items-real");
  return readdirSync(root).flatMap((d) =>
    readdirSync(join(root, d)).flatMap((f) => {
      const j = JSON.parse(readFileSync(join(root, d, f), "utf8"));
      return (Array.isArray(j) ? j : (j.features ?? [j])) as StacItem[];
    }),
  );
}

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `npm run load -- FILE` as an operator runs it; `killAtItems`: SIGKILL once a checkpoint reports that many. */
function load(
  killAtItems?: number,
): Promise<{ code: number | null; signal: string | null; stderr: string; stdout: string }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "dev/local/load.ts"), file, "--data", dataDir, "--create-collections"],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
  );
  let stderr = "";
  let stdout = "";
  child.stdout!.on("data", (d) => {
    stdout += d;
  });
  child.stderr!.on("data", (d) => {
    stderr += d;
    const done = [...stderr.matchAll(/line \d+ \(\d+ %\): (\d+) items/g)].map((m) => Number(m[1]));
    if (killAtItems !== undefined && done.some((n) => n >= killAtItems) && child.exitCode === null)
      child.kill("SIGKILL");
  });
  return new Promise((r) => child.once("exit", (code, signal) => r({ code, signal, stderr, stdout })));
}

async function itemRecords(s: LocalStack, collection: string): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await s.doc.send(
      new QueryCommand({
        TableName: s.endpoints.dynamodb.table,
        KeyConditionExpression: "#pk = :pk",
        ExpressionAttributeNames: { "#pk": PK },
        ExpressionAttributeValues: { ":pk": itemsPartition(collection) },
        Select: "COUNT",
        ExclusiveStartKey: start,
      }),
    );
    n += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return n;
}

describe("a 100,000-item bulk import", () => {
  it("killed a third of the way and run again, holds every item once and searches equal brute force", async () => {
    const real = realItems();
    const lines: StacItem[] = Array.from({ length: N }, (_, i) => generateItem(SEED, i, "no-tiles").item);
    // One real item every N / real.length lines, so some load before the kill and some after it.
    real.forEach((item, k) => {
      lines.splice(Math.floor(((k + 0.5) * N) / real.length) + k, 0, item);
    });
    await writeNdjson(file, lines.length, (i) => lines[i]!);
    const items = lines.filter((i) => typeof i.collection === "string");
    const badLines = lines.flatMap((i, n) => (typeof i.collection === "string" ? [] : [n + 1]));

    const first = await load(N / 3);
    expect(first.signal, first.stderr).toBe("SIGKILL");
    expect(existsSync(`${file}.load-checkpoint`)).toBe(true);
    const second = await load();
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout.trim().split("\n").at(-1)!);
    console.log(`first run (killed): ${first.stderr.trim().split("\n").slice(-2).join(" | ")}`);
    console.log(`second run: ${second.stderr.trim().split("\n").slice(-1)[0]}`);
    expect(result.resumedAfterLine).toBeGreaterThan(0);
    expect(result.items).toBe(items.length);
    expect(result.bad).toBe(badLines.length);
    for (const n of badLines) expect(first.stderr + second.stderr).toContain(`${file}:${n}: collection must`);
    expect(existsSync(`${file}.load-checkpoint`)).toBe(false);

    stack = await withCachedAuthFile(dataDir, () =>
      startLocalStack({
        dataDir,
        apiPort: 0,
        s3Port: 0,
        dynamoPort: 0,
        presignSeconds: 300,
        log: silentLogger,
        reconcileAtStart: false,
      }),
    );
    const collections = [...new Set(items.map((i) => i.collection!))].sort();
    const listed = (await stack.catalogue.listCollections()).map((c) => c.collection.id).sort();
    expect(listed).toEqual(collections);
    let records = 0;
    for (const c of collections) records += await itemRecords(stack, c);
    expect(records).toBe(items.length);

    const summaries = items.map(summaryOf);
    const mismatches: string[] = [];
    let compared = 0;
    const atReal: BenchQuery[] = real
      .filter((i) => typeof i.collection === "string" && i.bbox)
      .map((i) => ({ id: `at ${i.id}`, body: { bbox: i.bbox, limit: 50 } }));
    for (const [q, pages] of [
      ...defaultQueries().map((q) => [q, Number.POSITIVE_INFINITY] as const),
      ...randomQueries(SEED, 40).map((q) => [q, RANDOM_PAGES] as const),
      ...atReal.map((q) => [q, 4] as const),
    ]) {
      const { items: found, complete } = await allPages(stack.catalogue, q, pages);
      const got = found.map((i) => `${i.collection}/${i.id}`);
      const want = bruteForce(summaries, q, intersects as never);
      compared += got.length;
      if (got.join() !== (complete ? want : want.slice(0, got.length)).join())
        mismatches.push(`${q.id}: ${got.length} found, brute force ${want.length}`);
    }
    console.log(`compared ${compared} results of ${48 + atReal.length} searches with brute force`);
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(1000);

    // Through HTTP too: the API finds an item of the file by id.
    const probe = items[N - 7]!;
    const res = await fetch(`${stack.endpoints.api}/collections/${probe.collection}/items/${probe.id}`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { id: string }).id).toBe(probe.id);
  }, 1_800_000);
});
