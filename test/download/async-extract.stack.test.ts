// Members too large to extract within an API request: 202 + Retry-After while a background job extracts
// them, then 302 to the cached copy; one job however many requests race; a failed job leaves nothing
// behind and the next request starts it again. Against a secured local stack with the threshold at 1 KiB.
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { makeApiHandler, withExtractJobs } from "../../lambdas/api/app.ts";
import { retryAfterSeconds } from "../../shared/download/accept-extraction.ts";
import type { ExtractJob } from "../../shared/download/extraction.ts";
import { isLive, STALE_AFTER_MS } from "../../shared/download/extraction-markers.ts";
import { LambdaInvokeExtractor } from "../../shared/download/lambda-invoke-extractor.ts";
import { silentLogger } from "../../shared/log.ts";
import { bytesReader, openZip, planToBytes, readZipMember } from "../../shared/zip/index.ts";
import { type SecuredStack, startSecuredStack } from "./secured-stack.ts";

// Band placeholders of 256 KiB (stored), far above the 1 KiB threshold; manifest.safe is deflated.
const plan = planSentinel2Product({
  tile: "33UVR",
  datetime: "2021-03-03T10:00:00.024Z",
  targetSize: 36 << 18,
});
const product = { key: plan.key, name: plan.name, bytes: planToBytes(plan.plan) };
const item = `/collections/sentinel-2-l2a/items/${product.name}`;
const band = (p: { plan: typeof plan.plan }, id: string) => {
  const m = p.plan.members.find((x) => x.name.endsWith(`_${id}_10m.jp2`))!;
  return { member: m, path: m.name.slice(m.name.indexOf(".SAFE/") + 6) };
};

// The same layout with one byte of a band changed: its CRC-32 no longer matches, every extraction fails.
const broken = planSentinel2Product({
  tile: "33UVR",
  datetime: "2021-03-04T10:00:00.024Z",
  targetSize: 36 << 18,
});
const brokenBytes = planToBytes(broken.plan);
const brokenBand = band(broken, "B04");
const flipped = brokenBand.member.dataOffset + 1000;
brokenBytes[flipped] = (brokenBytes[flipped] ?? 0) ^ 0xff;
const brokenItem = `/collections/sentinel-2-l2a/items/${broken.name}`;

let stack: SecuredStack;
let auth: string;

async function zipMember(name: string): Promise<Buffer> {
  const zip = await openZip(bytesReader(product.bytes));
  return Buffer.from(await readZipMember(zip, zip.entries.find((e) => e.name === name)!));
}

/** Polls as a client would (faster than Retry-After says, to keep the test short) until not 202. */
async function pollUntilReady(path: string): Promise<Response> {
  for (let i = 0; i < 200; i++) {
    const res = await stack.get(path, auth);
    if (res.status !== 202) return res;
    await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${path} still answers 202`);
}

async function cachedKeys(): Promise<string[]> {
  const out = await stack.s3.send(
    new ListObjectsV2Command({ Bucket: stack.endpoints.downloads.cacheBucket, Prefix: "members/" }),
  );
  return (out.Contents ?? []).map((o) => o.Key!);
}

beforeAll(async () => {
  stack = await startSecuredStack({ downloads: { inlineMaxBytes: 0, syncExtractMaxBytes: 1024 } });
  await stack.upload(product.key, product.bytes, "application/zip");
  await stack.upload(broken.key, brokenBytes, "application/zip");
  auth = `Bearer ${await stack.token(stack.endpoints.auth.user, stack.endpoints.auth.password)}`;
}, 60_000);
afterAll(() => stack?.close());

describe("members above the synchronous extraction limit", () => {
  it("answer 202 with Retry-After, then 302 to a copy holding exactly the member's bytes", async () => {
    const path = `${item}/files/manifest.safe`;
    const first = await stack.get(path, auth);
    expect(first.status).toBe(202);
    expect(Number(first.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await first.json()) as { code: string; description: string };
    expect(body.code).toBe("Accepted");
    expect(body.description).toMatch(/manifest\.safe.*being prepared.*retry in \d+ s/);

    const ready = await pollUntilReady(path);
    expect(ready.status).toBe(302);
    const download = await fetch(ready.headers.get("location")!);
    expect(download.status).toBe(200);
    const expected = await zipMember(`${product.name}.SAFE/manifest.safe`);
    expect(Buffer.from(await download.arrayBuffer()).equals(expected)).toBe(true);
    // Cached now: answered at once.
    expect((await stack.get(path, auth)).status).toBe(302);
  });

  it("start one extraction however many first requests race, and serve the stored member whole", async () => {
    const { member, path: file } = band(plan, "B02");
    const path = `${item}/files/${file}`;
    const before = stack.extractor.started;
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => stack.get(path, auth).then((r) => r.status)),
    );
    // 202 while the one extraction runs; 302 only once it is done (a slow machine may serve the last
    // requests after it) — never an error, never a second job.
    expect(statuses).toContain(202);
    for (const status of statuses) expect([202, 302]).toContain(status);
    expect(stack.extractor.started - before).toBe(1);
    const ready = await pollUntilReady(path);
    const bytes = Buffer.from(await (await fetch(ready.headers.get("location")!)).arrayBuffer());
    expect(bytes.length).toBe(member.size);
    expect(bytes.equals(await zipMember(member.name))).toBe(true);
    expect(stack.extractor.started - before).toBe(1);
  });

  it("leave no cached object when the extraction fails, and start it again on the next request", async () => {
    const path = `${brokenItem}/files/${brokenBand.path}`;
    const before = stack.extractor.started;
    expect((await stack.get(path, auth)).status).toBe(202);
    await stack.extractor.idle();
    const leftovers = () => cachedKeys().then((keys) => keys.filter((k) => k.includes(brokenBand.path)));
    // Only the marker (now "failed") remains; no partial or corrupt copy is served.
    expect(await leftovers()).toEqual([expect.stringMatching(/\.pending$/)]);

    const again = await stack.get(path, auth);
    expect(again.status).toBe(202);
    expect(stack.extractor.started - before).toBe(2);
    await stack.extractor.idle();
    expect(await leftovers()).toEqual([expect.stringMatching(/\.pending$/)]);
    expect((await stack.get(path, auth)).status).toBe(202);
  });
});

describe("background extraction parts", () => {
  it("estimate Retry-After from the size and the time already spent, within bounds", () => {
    const gib = 1024 ** 3;
    expect(retryAfterSeconds(1.6 * gib, 0, 0)).toBe(41);
    expect(retryAfterSeconds(1.6 * gib, 0, 30_000)).toBe(11);
    expect(retryAfterSeconds(1.6 * gib, 0, 120_000)).toBe(2);
    expect(retryAfterSeconds(100 * gib, 0, 0)).toBe(600);
  });

  it("take a running marker older than 15 minutes, or a failed one, as a job to restart", () => {
    expect(isLive({ state: "running", startedAt: 0 }, STALE_AFTER_MS - 1)).toBe(true);
    expect(isLive({ state: "running", startedAt: 0 }, STALE_AFTER_MS)).toBe(false);
    expect(isLive({ state: "failed", startedAt: 0 }, 1)).toBe(false);
  });

  const job: ExtractJob = {
    bucket: "products",
    key: "S1A.SAFE.zip",
    etag: '"abc"',
    member: { kind: "tar", path: "S1A.SAFE/measurement/s1a.tiff", dataOffset: 512, size: 1_600_000_000 },
    cacheKey: "members/0123/S1A.SAFE/measurement/s1a.tiff",
    contentType: "image/tiff",
  };

  it("invoke the extraction function asynchronously with a SigV4-signed Lambda Invoke call", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const extractor = new LambdaInvokeExtractor({
      functionName: "hexarchive-api",
      region: "eu-central-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      fetch: async (url, init) => {
        calls.push({ url: String(url), init: init ?? {} });
        return new Response(null, { status: 202 });
      },
    });
    await extractor.start(job);
    const call = calls[0]!;
    expect(call.url).toBe(
      "https://lambda.eu-central-1.amazonaws.com/2015-03-31/functions/hexarchive-api/invocations",
    );
    const headers = call.init.headers as Record<string, string>;
    expect(headers["x-amz-invocation-type"]).toBe("Event");
    expect(headers["authorization"]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/lambda\/aws4_request, SignedHeaders=.*x-amz-invocation-type/,
    );
    expect(JSON.parse(call.init.body as string)).toEqual({ hexarchive: "extract", ...job });
  });

  it("report a refused invocation as retryable (503), so that the next request tries again", async () => {
    const extractor = new LambdaInvokeExtractor({
      functionName: "hexarchive-api",
      region: "eu-central-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
      fetch: async () => new Response("AccessDeniedException", { status: 403 }),
    });
    await expect(extractor.start(job)).rejects.toMatchObject({ status: 503, retryable: true });
  });

  it("route an extraction payload to the extraction, anything else to the API", async () => {
    const jobs: ExtractJob[] = [];
    const api = makeApiHandler({
      catalogue: {} as never,
      owners: {} as never,
      presigner: {} as never,
      tokens: {} as never,
      log: silentLogger,
      settings: { presignSeconds: 60 },
    });
    const handler = withExtractJobs(api, async (j) => jobs.push(j));
    expect(await handler({ hexarchive: "extract", ...job }, {} as never)).toBeUndefined();
    expect(jobs).toEqual([job]);
    await expect(handler({ hexarchive: "extract", bucket: "b" } as never, {} as never)).rejects.toThrow();
    const options = {
      rawPath: "/",
      requestContext: { http: { method: "OPTIONS" }, stage: "$default" },
      headers: {},
    } as unknown as APIGatewayProxyEventV2;
    expect((await handler(options, {} as never))?.statusCode).toBe(204);
  });
});
