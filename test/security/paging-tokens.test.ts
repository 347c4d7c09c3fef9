// Paging tokens are signed: only tokens this deployment sealed, for this very search, open; anything
// else (forged, tampered, truncated, signed with another key) is a 400 naming `token`.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localTokenKey } from "../../dev/local/token-key.ts";
import { readSecretString } from "../../shared/aws/secrets.ts";
import { CatalogueError } from "../../shared/errors.ts";
import { onceKey, signedPagingTokens } from "../../shared/search/paging-tokens.ts";

const key = (byte: number) => async () => new Uint8Array(32).fill(byte);
const tokens = signedPagingTokens(key(1));

async function refusal(token: string, search = "s1") {
  const err = await tokens.open(token, search).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CatalogueError);
  expect((err as CatalogueError).status).toBe(400);
  expect((err as CatalogueError).message).toMatch(/^token: /);
  return (err as CatalogueError).message;
}

describe("signed paging tokens", () => {
  it("round-trip a position for the search they were sealed for", async () => {
    const t = await tokens.seal(["2024-01-01T00:00:00Z", undefined, "c", "id"], "s1");
    expect(await tokens.open(t, "s1")).toEqual(["2024-01-01T00:00:00Z", null, "c", "id"]);
    expect(await refusal(t, "s2")).toMatch(/different search/);
  });

  it("refuse forged, tampered, truncated and wrong-key tokens", async () => {
    const t = await tokens.seal(["2024-01-01T00:00:00Z", "c", "id"], "s1");
    const [payload, mac] = t.split(".") as [string, string];
    // What the API issued before tokens were signed: the position in plain base64url JSON.
    const unsigned = Buffer.from(JSON.stringify({ p: [{}, [], 1], s: "s1" })).toString("base64url");
    const forgedPayload = Buffer.from(JSON.stringify({ p: ["9999", "c", "x"], s: "s1" })).toString(
      "base64url",
    );
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const other = await signedPagingTokens(key(2)).seal(["2024-01-01T00:00:00Z", "c", "id"], "s1");
    for (const bad of [
      unsigned,
      `${forgedPayload}.${mac}`,
      `${flip(payload, 3)}.${mac}`,
      `${payload}.${flip(mac, 10)}`,
      t.slice(0, -1),
      t.slice(0, t.length - 20),
      `${payload}.`,
      `.${mac}`,
      `${t}.${mac}`,
      other,
      "",
      "%%%",
      "a".repeat(40_000),
    ])
      await refusal(bad);
  });

  it("refuse a correctly signed payload that is not a position", async () => {
    const sign = (body: unknown) => {
      const p = Buffer.from(JSON.stringify(body)).toString("base64url");
      return `${p}.${createHmac("sha256", new Uint8Array(32).fill(1)).update(p).digest("base64url")}`;
    };
    await refusal(sign(null));
    await refusal(sign({ p: [{ a: 1 }], s: "s1" }));
    await refusal(sign({ p: "x", s: "s1" }));
    expect(await tokens.open(sign({ p: [1], s: "s1" }), "s1")).toEqual([1]);
    // A count that is not [a count, 0 or 1].
    for (const m of [[-1, 1], [1.5, 0], ["3", 1], [3, 2], [3], 3, null])
      await refusal(sign({ p: [1], s: "s1", m }));
  });

  it("carry a first page's count, which a changed payload cannot alter", async () => {
    const position = ["2024-01-01T00:00:00Z", "c", "id"];
    const t = await tokens.seal(position, "s1", { matched: 1234, exact: false });
    expect(await tokens.openPage(t, "s1")).toEqual({ position, count: { matched: 1234, exact: false } });
    expect(await tokens.open(t, "s1")).toEqual(position);
    const exact = await tokens.seal(position, "s1", { matched: 7, exact: true });
    expect((await tokens.openPage(exact, "s1")).count).toEqual({ matched: 7, exact: true });
    expect(await tokens.openPage(await tokens.seal(position, "s1"), "s1")).toEqual({ position });
    // An estimate made to read as exact (or another number), keeping the MAC: refused.
    const [payload, mac] = t.split(".") as [string, string];
    const body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    for (const m of [
      [1234, 1],
      [99, 0],
    ]) {
      const altered = Buffer.from(JSON.stringify({ ...body, m })).toString("base64url");
      await refusal(`${altered}.${mac}`);
    }
    // Fits a URL: far below the 2,000 characters browsers and proxies keep.
    const long = await tokens.seal(
      ["2024-01-01T00:00:00.000Z", "sentinel-2-l2a", "S2B_MSIL2A_".padEnd(60, "X")],
      "abcdefghijkl",
      {
        matched: 123_456_789,
        exact: false,
      },
    );
    expect(long.length).toBeLessThan(300);
  });

  it("load the key once, and again after a failure", async () => {
    let calls = 0;
    const k = onceKey(async () => {
      calls++;
      if (calls === 1) throw new Error("secret store down");
      return new Uint8Array(32);
    });
    await expect(k()).rejects.toThrow(/down/);
    await k();
    await k();
    expect(calls).toBe(2);
  });
});

describe("the signing key from Secrets Manager", () => {
  it("is one signed GetSecretValue call; a refusal is retryable", async () => {
    const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
    const fake = (status: number, body: string) => async (url: URL | string, init?: RequestInit) => {
      calls.push({
        url: String(url),
        headers: init?.headers as Record<string, string>,
        body: String(init?.body),
      });
      return new Response(body, { status });
    };
    const o = {
      secretId: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:tokens-AbCdEf",
      region: "eu-central-1",
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" },
    };
    const value = await readSecretString({
      ...o,
      fetch: fake(200, '{"SecretString":"k3y"}') as typeof fetch,
    });
    expect(value).toBe("k3y");
    const [call] = calls;
    expect(call!.url).toBe("https://secretsmanager.eu-central-1.amazonaws.com/");
    expect(call!.headers["x-amz-target"]).toBe("secretsmanager.GetSecretValue");
    expect(call!.headers["authorization"]).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/secretsmanager\/aws4_request/,
    );
    expect(JSON.parse(call!.body)).toEqual({ SecretId: o.secretId });
    await expect(
      readSecretString({ ...o, fetch: fake(400, "AccessDeniedException") as typeof fetch }),
    ).rejects.toMatchObject({ status: 503, retryable: true });
  });
});

describe("the local stack's key", () => {
  it("is made once, kept readable by its owner only, and read again after a restart", () => {
    const dir = mkdtempSync(join(tmpdir(), "hexarchive-token-key-"));
    try {
      const first = localTokenKey(dir);
      expect(first.length).toBe(32);
      expect(statSync(join(dir, "paging-token.key")).mode & 0o077).toBe(0);
      expect(Buffer.from(localTokenKey(dir)).equals(Buffer.from(first))).toBe(true);
      const other = mkdtempSync(join(tmpdir(), "hexarchive-token-key-"));
      expect(Buffer.from(localTokenKey(other)).equals(Buffer.from(first))).toBe(false);
      rmSync(other, { recursive: true, force: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
