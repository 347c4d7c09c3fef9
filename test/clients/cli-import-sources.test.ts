// `hexarchive import --from-stac` and `--from-dhus`, through the real binary, from one local hexarchive
// into a second, empty one: over the STAC API (one collection by /collections/{id}/items first, then
// everything by /search, killed after some batches and resumed) both catalogues then answer the same
// searches with the same items; over the source's DHuS facade (OData Products) every product becomes an
// item with the original's footprint (the antimeridian sample included) and a download link that works.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CataloguePair,
  CLI_BIN,
  cliEnv,
  comparableResults,
  runCli,
  startCataloguePair,
} from "../support/catalogue-pair.ts";
import type { TestStack } from "../support/stack.ts";

let pair: CataloguePair;
let source: TestStack;
let target: TestStack;
let work: string;

// The source's users are the target's (one auth file for every test stack): sign in as the operator.
function env(): NodeJS.ProcessEnv {
  const { user, password } = source.endpoints.auth.operator;
  return cliEnv(pair, target.api, { HEXARCHIVE_SOURCE_USER: user, HEXARCHIVE_SOURCE_PASSWORD: password });
}
const cli = (args: string[]) => runCli(pair, args, env(), 120_000);

beforeAll(async () => {
  pair = await startCataloguePair("hexarchive-import-");
  ({ source, target, work } = pair);
}, 120_000);
afterAll(() => pair?.close());

const total = async (stack: TestStack, body: Record<string, unknown> = {}) =>
  (await stack.post("/search", { limit: 1, ...body })).body.numberMatched as number;

describe("hexarchive import --from-stac", () => {
  it("reads one collection by /collections/{id}/items", async () => {
    const run = await cli([
      "import",
      "--from-stac",
      source.api,
      "-c",
      "sentinel-2-l2a",
      "--by-collection",
      "--page-size",
      "1",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    const want = await total(source, { collections: ["sentinel-2-l2a"] });
    expect(want).toBeGreaterThan(1);
    expect(r).toMatchObject({ read: want, written: want, skipped: 0, failed: 0, collections: 1 });
    expect(await comparableResults(target, { collections: ["sentinel-2-l2a"] })).toEqual(
      await comparableResults(source, { collections: ["sentinel-2-l2a"] }),
    );
  }, 120_000);

  it("imports the whole catalogue by /search, resumed after a kill, exactly", async () => {
    const all = await total(source);
    const s2 = await total(target);
    const checkpoint = join(work, "stac.checkpoint");
    // Two items a page, one a batch, two a second: killed once the checkpoint shows three written.
    const child: ChildProcess = spawn(
      process.execPath,
      [
        CLI_BIN,
        "import",
        "--from-stac",
        source.api,
        "--page-size",
        "2",
        "--batch",
        "1",
        "--rate",
        "2",
        "--checkpoint",
        checkpoint,
      ],
      { env: env(), cwd: work },
    );
    const exited = new Promise((r) => child.on("exit", r));
    const deadline = Date.now() + 90_000;
    const cp = () => (existsSync(checkpoint) ? JSON.parse(readFileSync(checkpoint, "utf8")) : undefined);
    while ((cp()?.written ?? 0) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGKILL");
    await exited;
    const before = cp();
    expect(before.written).toBeGreaterThanOrEqual(3);
    expect(before.read).toBeLessThan(all);

    const resumed = await cli(["import", "--from-stac", source.api, "--checkpoint", checkpoint, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const r = JSON.parse(resumed.stdout);
    expect(r.resumed).toBe(true);
    // Every item read once over both runs: the Sentinel-2 L2A ones were there (skipped), the rest
    // written, none twice; at most the batch written just before the kill is read again and skipped.
    expect(r.read).toBe(all);
    expect(r.failed).toBe(0);
    expect(r.written + r.skipped).toBe(all);
    expect(r.skipped).toBeGreaterThanOrEqual(s2);
    expect(r.skipped).toBeLessThanOrEqual(s2 + 1);
    expect(r.thisRun).toBe(all - before.read);
    expect(existsSync(checkpoint)).toBe(false);

    expect(await total(target)).toBe(all);
    for (const body of [
      {},
      { collections: ["sentinel-1-grd"] },
      { bbox: [12, 48, 19, 51] },
      { datetime: "2024-05-01T00:00:00Z/2024-06-30T23:59:59Z" },
      { bbox: [179, -20, -179, -10] },
    ]) {
      const want = await comparableResults(source, body);
      expect(want.length, JSON.stringify(body)).toBeGreaterThan(0);
      expect(await comparableResults(target, body), JSON.stringify(body)).toEqual(want);
    }
    // Source collections came across (those with items and without).
    const ids = (s: TestStack) =>
      s.get("/collections").then((res) => res.body.collections.map((c: { id: string }) => c.id).sort());
    expect(await ids(target)).toEqual(await ids(source));
  }, 240_000);
});

describe("hexarchive import --from-dhus", () => {
  it("makes every product of a DHuS an item: footprint, times, size, MD5 and a working $value link", async () => {
    const hub = `${source.api}/dhus`;
    const run = await cli([
      "import",
      "--from-dhus",
      hub,
      "--into",
      "from-dhus",
      "--page-size",
      "3",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    const originals = (await source.post("/search", { limit: 1000 })).body.features as {
      id: string;
      geometry: unknown;
      bbox: number[];
      properties: Record<string, unknown>;
    }[];
    expect(r).toMatchObject({ read: originals.length, written: originals.length, failed: 0, collections: 1 });
    const imported = (await target.post("/search", { collections: ["from-dhus"], limit: 1000 })).body
      .features as {
      id: string;
      geometry: { type: string };
      bbox: number[];
      properties: Record<string, unknown>;
      assets: Record<string, { href: string; "file:size"?: number; "file:checksum"?: string }>;
    }[];
    expect(imported.map((i) => i.id).sort()).toEqual(originals.map((o) => o.id).sort());
    const { user, password } = source.endpoints.auth.operator;
    const basic = `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    let crossing = 0;
    let downloads = 0;
    for (const item of imported) {
      const original = originals.find((o) => o.id === item.id)!;
      expect(item.geometry, item.id).toEqual(original.geometry);
      expect(item.bbox, item.id).toEqual(original.bbox);
      if (item.bbox[0]! > item.bbox[2]!) crossing++;
      const start = Date.parse(
        String(original.properties["start_datetime"] ?? original.properties["datetime"]),
      );
      expect(Date.parse(String(item.properties["datetime"])), item.id).toBe(start);
      const product = item.assets["product"]!;
      expect(product.href).toMatch(/^http:\/\/.+\/dhus\/odata\/v1\/Products\('[0-9a-f-]{36}'\)\/\$value$/);
      if (!product["file:size"]) continue;
      // The link is the source hub's: with the source's credentials it redirects to the bytes.
      const res = await fetch(product.href, { headers: { authorization: basic } });
      expect(res.status, item.id).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.length, item.id).toBe(product["file:size"]);
      if (product["file:checksum"])
        expect(`d50110${createHash("md5").update(bytes).digest("hex")}`, item.id).toBe(
          product["file:checksum"],
        );
      downloads++;
    }
    expect(crossing).toBeGreaterThan(0);
    expect(downloads).toBeGreaterThan(0);
    // Without the source's sign-in the hub refuses: the link is marked as needing it.
    expect((await fetch(imported[0]!.assets["product"]!.href)).status).toBe(401);
  }, 180_000);

  it("resumes a DHuS import killed mid-way from its keyset cursor and offset, with no duplicates", async () => {
    const hub = `${source.api}/dhus`;
    const all = await total(source);
    const checkpoint = join(work, "dhus.checkpoint");
    const args = [
      "import",
      "--from-dhus",
      hub,
      "--into",
      "dhus-resumed",
      "--page-size",
      "3",
      "--checkpoint",
      checkpoint,
    ];
    const child: ChildProcess = spawn(process.execPath, [CLI_BIN, ...args, "--batch", "1", "--rate", "2"], {
      env: env(),
      cwd: work,
    });
    const exited = new Promise((r) => child.on("exit", r));
    const deadline = Date.now() + 90_000;
    const cp = () => (existsSync(checkpoint) ? JSON.parse(readFileSync(checkpoint, "utf8")) : undefined);
    // Killed inside a page: past the first page, not at a page's end.
    while (!((cp()?.read ?? 0) >= 4 && cp()?.offset > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    await exited;
    const before = cp();
    // Past the first page: the last ingestion date read, and how many of that date were read.
    expect(before.cursor).toMatchObject({ after: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+$/) });
    expect(before.cursor.skip).toBeGreaterThanOrEqual(1);
    expect(before.read).toBeLessThan(all);

    const resumed = await cli([...args, "--json"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const r = JSON.parse(resumed.stdout);
    expect(r).toMatchObject({ resumed: true, read: all, failed: 0 });
    expect(r.written + r.skipped).toBe(all);
    expect(r.skipped).toBeLessThanOrEqual(1);
    const got = (await target.post("/search", { collections: ["dhus-resumed"], limit: 1000 })).body.features;
    const ids = got.map((f: { id: string }) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      (await source.post("/search", { limit: 1000 })).body.features.map((f: { id: string }) => f.id).sort(),
    );
  }, 180_000);

  it("passes --query to the hub as its OData $filter", async () => {
    const hub = `${source.api}/dhus`;
    const run = await cli([
      "import",
      "--from-dhus",
      hub,
      "--into",
      "from-dhus-s2",
      "--query",
      "substringof('MSIL2A',Name)",
      "--json",
    ]);
    expect(run.code, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    const want = await total(source, { collections: ["sentinel-2-l2a"] });
    expect(r).toMatchObject({ read: want, written: want, failed: 0 });
  }, 120_000);

  it("reads ESA's DHuS answers: the antimeridian split, a footprint that does not parse reported, 429 waited out", async () => {
    // ESA's recorded OData product (Sentinel-3, across the antimeridian), and a copy whose footprints
    // are broken, served as one page of Products by a stand-in hub: its first answer is a 429.
    const dir = resolve(__dirname, "../../../shared/fixtures/api-responses/dhus-sentinelsat-GPL3/extracted");
    const good = JSON.parse(readFileSync(join(dir, "dhus-odata-product_full-attributes.json"), "utf8")).d;
    const bad = {
      ...good,
      Id: "00000000-0000-0000-0000-000000000bad",
      Name: "S3A_BROKEN_FOOTPRINT",
      ContentGeometry: "<gml:Polygon><gml:coordinates>91,1000 x</gml:coordinates></gml:Polygon>",
      Attributes: {
        results: good.Attributes.results.map((a: { Name: string; Value: string }) =>
          a.Name === "JTS footprint" || a.Name === "Footprint" ? { ...a, Value: "POLYGON ((1 2, 3" } : a,
        ),
      },
    };
    const seen: string[] = [];
    const hub = createServer((req, res) => {
      seen.push(req.url ?? "");
      if (seen.length === 1) {
        res.writeHead(429, { "retry-after": "1" }).end();
        return;
      }
      const skip = Number(new URL(req.url ?? "", "http://x").searchParams.get("$skip"));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ d: { results: skip === 0 ? [good, bad] : [] } }));
    });
    await new Promise<void>((r) => hub.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(hub.address() as AddressInfo).port}/apihub`;
      const t0 = Date.now();
      const run = await cli([
        "import",
        "--from-dhus",
        url,
        "--into",
        "esa-hub",
        "--page-size",
        "2",
        "--json",
      ]);
      expect(run.code, run.stderr).toBe(3);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      const r = JSON.parse(run.stdout);
      expect(r).toMatchObject({ read: 2, written: 1, failed: 1 });
      expect(r.failures[0].name).toBe("S3A_BROKEN_FOOTPRINT");
      expect(run.stderr).toContain("failed: S3A_BROKEN_FOOTPRINT: footprint");
      expect(seen[1]).toContain("$skip=0");
      expect(seen[1]).toContain("$expand=Attributes");
      const item = (await target.get(`/collections/esa-hub/items/${good.Name}`)).body;
      expect(item.geometry.type).toBe("MultiPolygon");
      expect(item.bbox[0]).toBeGreaterThan(item.bbox[2]);
      expect(item.properties.platform).toBe("sentinel-3a");
      expect(item.properties.datetime).toBe("2016-09-22T01:42:38.742Z");
      expect(item.assets.product).toMatchObject({
        href: `https://apihub.copernicus.eu/apihub/odata/v1/Products('${good.Id}')/$value`,
        "file:size": 700011,
        "file:checksum": "d50110098645497fa5ab932ed2df98426e5b58",
        "auth:refs": ["dhus"],
      });
    } finally {
      await new Promise((r) => hub.close(r));
    }
  }, 120_000);
});
