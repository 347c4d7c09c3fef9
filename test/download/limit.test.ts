// The per-user concurrent download limit DHuS clients expect: 4 links at a time, the 5th → 403 with a
// `cause-message` header; asking again for the same file renews its lease instead of taking a slot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../shared/products/synthetic/sentinel-2.ts";
import { type SecuredStack, startSecuredStack } from "./secured-stack.ts";

const product = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
const item = `/collections/sentinel-2-l2a/items/${product.name}`;
const files = [
  "assets/product",
  "assets/granule_metadata",
  "files/manifest.safe",
  "files/INSPIRE.xml",
  "files/MTD_MSIL2A.xml",
];
let stack: SecuredStack;

beforeAll(async () => {
  stack = await startSecuredStack();
  await stack.upload(product.key, product.bytes, "application/zip");
  stack.issuer.addUser("limited", "limited-password");
});
afterAll(() => stack?.close());

describe("concurrent downloads per user", () => {
  it("refuses the 5th concurrent download with 403 and a cause-message", async () => {
    const auth = stack.basic("limited", "limited-password");
    for (const f of files.slice(0, 4))
      expect((await stack.get(`${item}/${f}`, auth)).status).toBeLessThan(400);
    // The same file again is the same download (a resume or a probe), not a new one.
    expect((await stack.get(`${item}/${files[0]}`, auth)).status).toBe(302);
    const fifth = await stack.get(`${item}/${files[4]}`, auth);
    expect(fifth.status).toBe(403);
    expect(fifth.headers.get("cause-message")).toMatch(/too many concurrent downloads/);
    expect(((await fifth.json()) as { code: string }).code).toBe("Forbidden");
    // Other users are not affected.
    expect((await stack.get(`${item}/${files[4]}`, stack.basic("demo", "demo-password"))).status).toBe(200);
  });

  it("counts 4 racing requests exactly (optimistic versioned writes)", async () => {
    stack.issuer.addUser("racer", "racer-password");
    const auth = stack.basic("racer", "racer-password");
    const statuses = await Promise.all(
      files.map((f) => stack.get(`${item}/${f}`, auth).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 403)).toHaveLength(1);
  });
});
