// The `hexarchive` CLI, run as its real binary (cli/bin/hexarchive.mjs, a child process) against the
// local stack: help and exit codes, search formats, counts and paging, upload in parts, downloads by
// glob, resumed after a kill mid-file and checked against their checksum, Retry-After from a proxy
// that answers 503, and the progress output on a pseudo-terminal (util-linux `script`) and off it.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const BIN = resolve(__dirname, "../../cli/bin/hexarchive.mjs");
const haveScript = existsSync("/usr/bin/script");
let stack: TestStack;
let work: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { user, password } = stack.endpoints.auth;
  return {
    PATH: process.env["PATH"],
    HOME: work,
    HEXARCHIVE_CONFIG: join(work, "no-config.json"),
    HEXARCHIVE_URL: stack.api,
    HEXARCHIVE_USER: user,
    HEXARCHIVE_PASSWORD: password,
    HEXARCHIVE_BACKOFF_MS: "100",
    AWS_ACCESS_KEY_ID: "S3RVER",
    AWS_SECRET_ACCESS_KEY: "S3RVER",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extra,
  };
}

function cli(args: string[], o: { env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: env(o.env), cwd: o.cwd ?? work, timeout: 90_000, maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        done({
          code: err ? ((err as { code?: number }).code ?? 1) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
        }),
    );
  });
}

const BIG = randomBytes(6 * 1024 * 1024 + 123);
const BIG_SHA = createHash("sha256").update(BIG).digest("hex");
const BIG_ITEM = {
  type: "Feature",
  stac_version: "1.1.0",
  stac_extensions: ["https://stac-extensions.github.io/file/v1.0.0/schema.json"],
  id: "cli-big-delivery",
  collection: "deliveries",
  geometry: {
    type: "Polygon",
    coordinates: [
      [
        [16, 49],
        [16.1, 49],
        [16.1, 49.1],
        [16, 49.1],
        [16, 49],
      ],
    ],
  },
  bbox: [16, 49, 16.1, 49.1],
  properties: { datetime: "2024-03-01T10:00:00Z" },
  links: [],
  assets: {
    data: {
      href: "./big.bin",
      type: "application/octet-stream",
      roles: ["data"],
      "file:size": BIG.length,
      "file:checksum": `1220${BIG_SHA}`,
    },
  },
};

beforeAll(async () => {
  // As `npm start`: search public, downloads for signed-in users.
  stack = await startTestStack({ access: parseAccessPolicy(undefined) });
  await uploadSamples(stack.s3, stack.bucket);
  await stack.settled();
  work = mkdtempSync(join(tmpdir(), "hexarchive-cli-"));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("hexarchive CLI: usage", () => {
  it("prints help with examples for every command, and exits 2 on bad usage", async () => {
    const main = await cli(["--help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/Exit codes: 0 done, 1 failed, 2 bad usage/);
    for (const c of [
      "search",
      "download",
      "download-list",
      "upload",
      "export",
      "import",
      "failures",
      "stats",
    ]) {
      const h = await cli([c, "--help"]);
      expect(h.code, c).toBe(0);
      expect(h.stdout, c).toMatch(/Examples:\n {2}hexarchive /);
    }
    expect((await cli(["serach"])).code).toBe(2);
    const bad = await cli(["search", "--bbox", "1,2,3"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--bbox: expected W,S,E,N/);
    expect((await cli(["search", "--nope"])).code).toBe(2);
    expect((await cli(["search"], { env: { HEXARCHIVE_URL: "not a url" } })).code).toBe(2);
  }, 60_000);

  it("exits 4 when not signed in, 1 when the API cannot be reached, and says so in --json", async () => {
    const anon = await cli(["download", "-c", "sentinel-2-l2a", "-n", "1", "-o", join(work, "anon")], {
      env: { HEXARCHIVE_USER: "", HEXARCHIVE_PASSWORD: "" },
    });
    expect(anon.code).toBe(4);
    expect(anon.stderr).toMatch(/401/);
    const down = await cli(["search", "--json", "--retries", "0"], {
      env: { HEXARCHIVE_URL: "http://127.0.0.1:59999" },
    });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ exitCode: 1 });
  }, 60_000);
});

describe("hexarchive search", () => {
  it("writes a table, JSON, GeoJSON and CSV, counts, and pages through everything", async () => {
    const api = await stack.post("/search", { limit: 1000 });
    const all = api.body.features.map((f: { id: string }) => f.id).sort();
    expect(all.length).toBeGreaterThan(4);

    const count = await cli(["search", "--count"]);
    expect(count.stdout.trim()).toBe(String(all.length));
    expect(JSON.parse((await cli(["search", "--count", "--json"])).stdout)).toEqual({
      numberMatched: all.length,
      estimate: false,
    });

    // Two items a page: every page's next link followed, each item once.
    const json = await cli(["search", "--all", "--page-size", "2", "--format", "json"]);
    expect(json.code).toBe(0);
    expect(
      JSON.parse(json.stdout)
        .map((f: { id: string }) => f.id)
        .sort(),
    ).toEqual(all);

    const limited = JSON.parse((await cli(["search", "-n", "3", "--page-size", "2", "--json"])).stdout);
    expect(limited).toHaveLength(3);

    const geo = JSON.parse((await cli(["search", "-c", "sentinel-2-l2a", "-F", "geojson", "--all"])).stdout);
    expect(geo.type).toBe("FeatureCollection");
    expect(geo.features.every((f: { collection: string }) => f.collection === "sentinel-2-l2a")).toBe(true);
    expect(geo.numberMatched).toBe(geo.features.length);

    const csv = (await cli(["search", "--all", "-F", "csv"])).stdout.trim().split("\n");
    expect(csv[0]).toBe("collection,id,datetime,eo:cloud_cover,platform,size");
    expect(csv).toHaveLength(all.length + 1);

    const table = await cli(["search", "--all"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^COLLECTION +DATETIME/);
    expect(table.stderr).toContain(`${all.length} items of ${all.length}`);
  }, 90_000);

  it("filters by bbox, WKT, datetime and CQL2 as the API does", async () => {
    const s2 = await stack.post("/search", { collections: ["sentinel-2-l2a"], limit: 100 });
    const f = s2.body.features[0];
    const [w, s, e, n] = f.bbox as number[];
    const cx = ((w! + e!) / 2).toFixed(4);
    const cy = ((s! + n!) / 2).toFixed(4);
    const ids = async (args: string[]) =>
      JSON.parse((await cli(["search", "--all", "--json", ...args])).stdout).map((i: { id: string }) => i.id);
    expect(await ids(["--wkt", `POINT(${cx} ${cy})`, "-c", "sentinel-2-l2a"])).toContain(f.id);
    expect(await ids(["--bbox", `${cx},${cy},${cx},${cy}`, "-c", "sentinel-2-l2a"])).toContain(f.id);
    expect(await ids(["-f", `id = '${f.id}'`])).toEqual([f.id]);
    expect(await ids(["--ids", f.id, "-d", "1990-01-01/1990-12-31"])).toEqual([]);
    writeFileSync(
      join(work, "point.geojson"),
      JSON.stringify({
        type: "Feature",
        properties: {},
        geometry: { type: "Point", coordinates: [Number(cx), Number(cy)] },
      }),
    );
    expect(await ids(["--intersects", join(work, "point.geojson"), "-c", "sentinel-2-l2a"])).toContain(f.id);
  }, 60_000);
});

describe("hexarchive upload and download", () => {
  it("uploads a folder (in parts, metadata last) and the product is indexed", async () => {
    const folder = join(work, "big-delivery");
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "big.bin"), BIG);
    writeFileSync(join(folder, "big.stac.json"), JSON.stringify(BIG_ITEM));
    const up = await cli([
      "upload",
      folder,
      "--prefix",
      "deliveries/",
      "--part-size",
      "5M",
      "--bucket",
      stack.bucket,
      "--s3-endpoint",
      stack.endpoints.s3.endpoint,
      "--json",
    ]);
    expect(up.code, up.stderr).toBe(0);
    const r = JSON.parse(up.stdout);
    expect(r.files.map((f: { key: string }) => f.key)).toEqual([
      "deliveries/big-delivery/big.bin",
      "deliveries/big-delivery/big.stac.json",
    ]);
    expect(r.files[0].parts).toBe(2);
    await stack.settled();
    const found = await stack.get("/search?ids=cli-big-delivery");
    expect(found.body.features).toHaveLength(1);
  }, 90_000);

  it("resumes a download killed mid-file with Range and verifies its SHA-256", async () => {
    const out = join(work, "resume");
    const args = ["download", "deliveries/cli-big-delivery", "-a", "data", "-o", out];
    const part = join(out, "cli-big-delivery", "big.bin.part");
    // Slowly, so that it can be killed half-way.
    const child: ChildProcess = spawn(process.execPath, [BIN, ...args, "--rate-limit", "1M"], {
      env: env(),
      cwd: work,
    });
    const exited = new Promise((r) => child.on("exit", r));
    const deadline = Date.now() + 30_000;
    while (!(existsSync(part) && statSync(part).size > 1024 * 1024) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGKILL");
    await exited;
    const partial = statSync(part).size;
    expect(partial).toBeGreaterThan(1024 * 1024);
    expect(partial).toBeLessThan(BIG.length);
    expect(existsSync(join(out, "cli-big-delivery", "big.bin"))).toBe(false);

    const again = await cli([...args, "--json"]);
    expect(again.code, again.stderr).toBe(0);
    const r = JSON.parse(again.stdout);
    expect(r.files[0]).toMatchObject({ status: "downloaded", verified: "sha-256", bytes: BIG.length });
    expect(again.stderr).toMatch(/resuming at/);
    const got = readFileSync(join(out, "cli-big-delivery", "big.bin"));
    expect(createHash("sha256").update(got).digest("hex")).toBe(BIG_SHA);
    expect(existsSync(part)).toBe(false);
    // A third run finds it complete.
    const third = JSON.parse((await cli([...args, "--json"])).stdout);
    expect(third.files[0].status).toBe("complete");
  }, 90_000);

  it("selects files inside products by glob, and plans with --dry-run", async () => {
    const s2 = (await stack.post("/search", { collections: ["sentinel-2-l2a"], limit: 1 })).body.features[0];
    const ref = `sentinel-2-l2a/${s2.id}`;
    const listing = await fetch(`${stack.api}/collections/sentinel-2-l2a/items/${s2.id}/files`, {
      headers: { authorization: `Basic ${Buffer.from("demo:demo-password").toString("base64")}` },
    }).then((r) => r.json() as Promise<{ files: { path: string; size: number }[] }>);
    const xml = listing.files.filter((f) => /^[^/]*\/?[^/]*\.xml$/.test(f.path) || f.path.endsWith(".xml"));
    const want = listing.files.filter((f) => /(^|\/)MTD_[^/]*\.xml$/.test(f.path)).map((f) => f.path);
    expect(xml.length).toBeGreaterThan(0);
    expect(want.length).toBeGreaterThan(0);
    const dry = await cli(["download", ref, "--files", "**/MTD_*.xml", "--dry-run", "--json"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(
      JSON.parse(dry.stdout)
        .files.map((f: { name: string }) => f.name.split("/").slice(1).join("/"))
        .sort(),
    ).toEqual(want.sort());

    const out = join(work, "glob");
    const run = await cli(["download", ref, "--files", "**/MTD_*.xml", "-o", out]);
    expect(run.code, run.stderr).toBe(0);
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
      );
    const got = walk(join(out, s2.id)).map((p) => p.slice(join(out, s2.id).length + 1));
    expect(got.sort()).toEqual(want.sort());
  }, 90_000);

  it("exits 3 when some files of a list fail and the rest are done", async () => {
    const ok = (await (
      await fetch(`${stack.api}/search/download-list?format=aria2`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Basic ${Buffer.from("demo:demo-password").toString("base64")}`,
        },
        body: JSON.stringify({ ids: [{ collection: "deliveries", id: "cli-big-delivery" }] }),
      })
    ).text()) as string;
    const list = `${ok}${stack.api}/collections/deliveries/items/no-such-item/assets/data\n  out=missing/data.bin\n`;
    writeFileSync(join(work, "mixed.txt"), list);
    const r = await cli(["download", "--list", join(work, "mixed.txt"), "-o", join(work, "mixed"), "--json"]);
    expect(r.code).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j.failed).toBe(1);
    expect(j.files.find((f: { name: string }) => f.name === "missing/data.bin").error).toMatch(/404/);
  }, 90_000);
});

describe("hexarchive download: retries and progress", () => {
  let proxy: Server;
  let proxyUrl: string;
  let refused = 0;

  beforeAll(async () => {
    // Answers 503 with Retry-After: 1 to the first two asset requests, passes everything else on.
    const api = new URL(stack.api);
    proxy = createServer((req, res) => {
      if (/\/assets\//.test(req.url ?? "") && refused < 2) {
        refused++;
        res.writeHead(503, { "retry-after": "1", "content-type": "application/json" });
        res.end(JSON.stringify({ code: "ServiceUnavailable", description: "try again" }));
        return;
      }
      const up = request(
        { host: api.hostname, port: api.port, path: req.url, method: req.method, headers: req.headers },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => proxy?.close(() => r())));

  it("waits as Retry-After says on 503 and then completes", async () => {
    const t0 = Date.now();
    const r = await cli(
      ["download", "deliveries/cli-big-delivery", "-a", "data", "-o", join(work, "retry")],
      {
        env: { HEXARCHIVE_URL: proxyUrl, HEXARCHIVE_BACKOFF_MS: "1" },
      },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(refused).toBe(2);
    // Two waits of Retry-After's 1 s, not the 1 ms backoff.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2000);
    expect(r.stderr.match(/HTTP 503; retrying in 0:01/g)).toHaveLength(2);
    expect(
      createHash("sha256")
        .update(readFileSync(join(work, "retry", "cli-big-delivery", "big.bin")))
        .digest("hex"),
    ).toBe(BIG_SHA);
  }, 90_000);

  it("prints plain lines without a terminal", async () => {
    const r = await cli(["download", "deliveries/cli-big-delivery", "-a", "data", "-o", join(work, "plain")]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("\x1b[");
    expect(r.stderr).toMatch(/^downloading cli-big-delivery\/big.bin \(6.3 MB\)$/m);
    expect(r.stderr).toMatch(/^done \(sha-256 ok\) cli-big-delivery\/big.bin$/m);
    expect(r.stderr).toMatch(/^1 downloaded \(6.3 MB in .*\), 0 already complete, 0 failed/m);
  }, 90_000);

  it.skipIf(!haveScript)(
    "draws progress bars with rate and ETA on a pseudo-terminal (script)",
    async () => {
      const out = join(work, "tty");
      const e = env();
      const cmd = `${process.execPath} ${BIN} download deliveries/cli-big-delivery -a data -o ${out} --rate-limit 3M`;
      const r = await new Promise<Run>((done) =>
        execFile(
          "script",
          ["-qec", cmd, "/dev/null"],
          { env: { ...e, COLUMNS: "120" }, timeout: 60_000 },
          (err, stdout, stderr) =>
            done({
              code: err ? ((err as { code?: number }).code ?? 1) : 0,
              stdout: String(stdout),
              stderr: String(stderr),
            }),
        ),
      );
      expect(r.code, r.stdout).toBe(0);
      // Redrawn in place: cursor up and clear, a bar, a percentage, a rate and an ETA.
      expect(r.stdout).toContain("\x1b[");
      expect(r.stdout).toMatch(
        /big\.bin +\[#+-*\] +\d+% [\d.]+ [kKMG]?B\/6\.3 MB [\d.]+ [kKMG]?B\/s ETA \d+:\d\d/,
      );
      expect(r.stdout).toMatch(/downloading \d\/1 files/);
      expect(r.stdout).toMatch(/1 downloaded/);
    },
    90_000,
  );
});
