// The per-user concurrent download limit DHuS clients expect: 4 products at a time, the 5th → 429 with
// Retry-After (403 + `cause-message` on the DHuS hub); more files of a product already being downloaded
// take no new slot. Slots here last until the links expire (1 B/s): every download is still running.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { type SecuredStack, startSecuredStack } from "./secured-stack.ts";

const products = [1, 2, 3, 4, 5].map((d) =>
  generateSentinel2Product({ tile: "33UVR", datetime: `2020-02-0${d}T10:00:00.024Z` }),
);
const product = products[0]!;
const item = `/collections/sentinel-2-l2a/items/${product.name}`;
const itemOf = (i: number) => `/collections/sentinel-2-l2a/items/${products[i]!.name}`;
const files = [
  "assets/product",
  "assets/granule_metadata",
  "files/manifest.safe",
  "files/INSPIRE.xml",
  "files/MTD_MSIL2A.xml",
];
let stack: SecuredStack;

beforeAll(async () => {
  stack = await startSecuredStack({ downloads: { leaseBytesPerSecond: 1 } });
  for (const p of products) await stack.upload(p.key, p.bytes, "application/zip");
  stack.issuer.addUser("limited", "limited-password");
});
afterAll(() => stack?.close());

describe("concurrent downloads per user", () => {
  it("refuses a 5th concurrent product with 429, Retry-After and the words DHuS clients recognise", async () => {
    const auth = stack.basic("limited", "limited-password");
    for (let i = 0; i < 4; i++)
      expect((await stack.get(`${itemOf(i)}/assets/product`, auth)).status).toBe(302);
    // Every file of a product being downloaded, and the same file again (a resume), share its slot.
    for (const f of files) expect((await stack.get(`${item}/${f}`, auth)).status).toBeLessThan(400);
    const fifth = await stack.get(`${itemOf(4)}/assets/product`, auth);
    expect(fifth.status).toBe(429);
    expect(Number(fifth.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await fifth.json()) as { code: string; description: string };
    expect(body.code).toBe("TooManyRequests");
    expect(body.description).toMatch(/Maximum number of 4 concurrent flows achieved by the user "limited"/);
    // Other users are not affected.
    expect(
      (await stack.get(`${itemOf(4)}/assets/product`, stack.basic("demo", "demo-password"))).status,
    ).toBe(302);
  });

  it("counts 4 racing requests exactly (optimistic versioned writes)", async () => {
    stack.issuer.addUser("racer", "racer-password");
    const auth = stack.basic("racer", "racer-password");
    const statuses = await Promise.all(
      products.map((_p, i) => stack.get(`${itemOf(i)}/assets/product`, auth).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
  });
});
