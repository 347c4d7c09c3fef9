// Download lists (POST /search/download-list) with the real aria2c (Debian package `aria2`): a list
// fetched while its presigned URLs are fresh is run after they expired, resuming a partial file, and
// completes with every file's checksum verified by aria2c itself; a wrong checksum makes aria2c fail.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uploadSamples } from "../../dev/local/samples.ts";
import { parseAccessPolicy } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const haveAria2 = existsSync("/usr/bin/aria2c");
if (!haveAria2) console.warn("skipping aria2 tests: aria2c is not installed (Debian package aria2, .ci/run)");

const PRESIGN_SECONDS = 2;
let stack: TestStack;
let dir: string;
const auth = () => {
  const { user, password } = stack.endpoints.auth;
  return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
};

function list(body: unknown, opts: { format?: string; accept?: string; signedIn?: boolean } = {}) {
  const qs = opts.format ? `?format=${opts.format}` : "";
  return fetch(`${stack.api}/search/download-list${qs}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(opts.accept ? { accept: opts.accept } : {}),
      ...(opts.signedIn === false ? {} : { authorization: auth() }),
    },
    body: JSON.stringify(body),
  });
}

async function objectBytes(key: string): Promise<Buffer> {
  const res = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

const SEARCH = { collections: ["sentinel-2-l2a", "sentinel-1-grd"], assets: ["product"] };

describe.skipIf(!haveAria2)("download lists with aria2c", () => {
  beforeAll(async () => {
    // As `npm start`: search public, downloads for signed-in users; presigned URLs expire in 2 s.
    stack = await startTestStack({ access: parseAccessPolicy(undefined), presignSeconds: PRESIGN_SECONDS });
    await uploadSamples(stack.s3, stack.bucket);
    await stack.settled();
    dir = mkdtempSync(join(tmpdir(), "hexarchive-aria2-"));
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses anonymous callers, unknown formats and oversized baskets, naming the bound", async () => {
    expect((await list(SEARCH, { signedIn: false })).status).toBe(401);
    expect((await list(SEARCH, { accept: "application/json" })).status).toBe(406);
    const bad = await list(SEARCH, { format: "csv" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { description: string }).description).toMatch(/format/);
    const ids = Array.from({ length: 1001 }, (_, i) => ({ collection: "sentinel-2-l2a", id: `x${i}` }));
    const big = await list({ ids });
    expect(big.status).toBe(400);
    expect(((await big.json()) as { description: string }).description).toMatch(/at most 1000/);
  });

  it("writes Metalink 4 by default with sizes, hashes and one link per file", async () => {
    const res = await list(SEARCH);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/metalink4+xml");
    const xml = await res.text();
    expect(xml).toContain('<metalink xmlns="urn:ietf:params:xml:ns:metalink">');
    const files = [...xml.matchAll(/<file name="([^"]+)">/g)];
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(xml).toMatch(/<size>\d+<\/size>/);
    expect(xml).toMatch(/<hash type="(md5|sha-256)">[0-9a-f]+<\/hash>/);
    // The same by Accept.
    const aria = await list(SEARCH, { accept: "text/plain" });
    expect(aria.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("runs with aria2c -c after the presigned URLs expired, resuming a partial file, checksums verified", async () => {
    const res = await list(SEARCH, { format: "aria2" });
    const text = await res.text();
    const entries = [...text.matchAll(/^(http\S+)\n {2}out=(\S+)\n {2}checksum=(\S+)$/gm)];
    expect(entries.length).toBeGreaterThanOrEqual(2);
    // A refresh link opens its asset without credentials: a 302 to a presigned URL that soon expires.
    const first = await fetch(entries[0]![1]!, { redirect: "manual" });
    expect(first.status).toBe(302);
    const presigned = first.headers.get("location")!;
    expect((await fetch(presigned)).status).toBe(200);
    await new Promise((r) => setTimeout(r, (PRESIGN_SECONDS + 1.5) * 1000));
    expect((await fetch(presigned)).status).toBe(403);

    // Half of the first file is already there, as after an interrupted run.
    const search = await stack.post("/search", { collections: SEARCH.collections, limit: 100 });
    const s3Keys = new Map<string, string>();
    for (const e of entries) {
      const item = search.body.features.find((f: { id: string }) => f.id === e[2]!.split("/")[0]);
      const stored = await stack.catalogue.getItem(item.collection, item.id);
      s3Keys.set(e[2]!, /^s3:\/\/[^/]+\/(.+)$/.exec(stored!.item.assets["product"]!.href)![1]!);
    }
    const whole = await objectBytes(s3Keys.get(entries[0]![2]!)!);
    mkdirSync(join(dir, entries[0]![2]!.split("/")[0]!), { recursive: true });
    writeFileSync(join(dir, entries[0]![2]!), whole.subarray(0, Math.floor(whole.length / 2)));

    writeFileSync(join(dir, "list.txt"), text);
    const out = await run(
      "aria2c",
      ["-c", "-i", "list.txt", "--console-log-level=notice", "--summary-interval=0"],
      {
        cwd: dir,
        timeout: 60_000,
      },
    ).catch((e) => {
      throw new Error(`aria2c failed: ${e.stdout}\n${e.stderr}`);
    });
    expect(out.stdout).toMatch(/Download complete/);
    for (const [name, key] of s3Keys) {
      const want = createHash("sha256")
        .update(await objectBytes(key))
        .digest("hex");
      expect(
        createHash("sha256")
          .update(readFileSync(join(dir, name)))
          .digest("hex"),
        name,
      ).toBe(want);
    }
  }, 120_000);

  it("aria2c fails a file whose checksum does not match (it does verify them)", async () => {
    const text = await (await list(SEARCH, { format: "aria2" })).text();
    const [, algo = "", hex = ""] = /checksum=([\w-]+)=([0-9a-f]+)/.exec(text) ?? [];
    const wrong = text.replace(`checksum=${algo}=${hex}`, `checksum=${algo}=${"0".repeat(hex.length)}`);
    const bad = join(dir, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "list.txt"), wrong);
    const err = await run("aria2c", ["-i", "list.txt", "--max-tries=1"], { cwd: bad, timeout: 60_000 }).then(
      () => undefined,
      (e: { code: number; stdout: string }) => e,
    );
    expect(err?.code).not.toBe(0);
    expect(err?.stdout).toMatch(/checksum|hash/i);
  }, 120_000);

  it("runs a Metalink list the same way (aria2c -M)", async () => {
    const xml = await (await list(SEARCH)).text();
    const m = join(dir, "metalink");
    mkdirSync(m);
    writeFileSync(join(m, "list.meta4"), xml);
    const out = await run("aria2c", ["-M", "list.meta4", "--summary-interval=0"], {
      cwd: m,
      timeout: 60_000,
    });
    expect(out.stdout).toMatch(/Download complete/);
  }, 120_000);
});
