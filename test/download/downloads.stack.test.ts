// Downloads over HTTP against the local stack: whole products, files inside the zip (through the member
// cache and inline), the quicklook, listing, bad paths.
import { decode as decodeJpeg } from "jpeg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { bytesReader, openZip, readZipMember } from "../../shared/zip/index.ts";
import { type SecuredStack, startSecuredStack } from "./secured-stack.ts";

const product = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
const item = `/collections/sentinel-2-l2a/items/${product.name}`;
let stack: SecuredStack;
let auth: string;

async function zipMember(suffix: string): Promise<Buffer> {
  const zip = await openZip(bytesReader(product.bytes));
  const entry = zip.entries.find((e) => e.name.endsWith(suffix))!;
  return Buffer.from(await readZipMember(zip, entry));
}

async function follow(res: Response): Promise<Response> {
  expect(res.status).toBe(302);
  const location = res.headers.get("location")!;
  expect(location.startsWith(stack.endpoints.downloads.presignEndpoint)).toBe(true);
  return fetch(location);
}

beforeAll(async () => {
  // Inline answers off: every member goes through the cache bucket (extraction + presigned URL).
  stack = await startSecuredStack({ downloads: { inlineMaxBytes: 0 } });
  await stack.upload(product.key, product.bytes, "application/zip");
  auth = `Bearer ${await stack.token(stack.endpoints.auth.user, stack.endpoints.auth.password)}`;
});
afterAll(() => stack?.close());

describe("whole products", () => {
  it("describe size and checksum in the item and redirect to a short-lived presigned URL with the file name", async () => {
    const body = (await (await stack.get(item)).json()) as {
      assets: Record<string, Record<string, unknown>>;
    };
    expect(body.assets["product"]!["file:size"]).toBe(product.bytes.length);
    expect(body.assets["product"]!["file:checksum"]).toMatch(/^d50110[0-9a-f]{32}$/);
    const res = await stack.get(`${item}/assets/product`, auth);
    expect(new URL(res.headers.get("location")!).searchParams.get("X-Amz-Expires")).toBe("300");
    const download = await follow(res);
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="${product.key}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(product.bytes))).toBe(true);
  });

  it("resume with a Range request on the presigned URL", async () => {
    const location = (await stack.get(`${item}/assets/product`, auth)).headers.get("location")!;
    const part = await fetch(location, { headers: { range: "bytes=100-" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(Buffer.from(product.bytes.subarray(100)))).toBe(true);
  });
});

describe("files inside the zip", () => {
  it("serve a deflated member asset through the cache, byte for byte as in the zip", async () => {
    const download = await follow(await stack.get(`${item}/assets/granule_metadata`, auth));
    expect(download.headers.get("content-disposition")).toBe('attachment; filename="MTD_TL.xml"');
    expect(Buffer.from(await download.arrayBuffer()).equals(await zipMember("MTD_TL.xml"))).toBe(true);
  });

  it("serve any file by path (manifest.safe), cached once and ranged", async () => {
    const download = await follow(await stack.get(`${item}/files/manifest.safe`, auth));
    const expected = await zipMember("/manifest.safe");
    expect(Buffer.from(await download.arrayBuffer()).equals(expected)).toBe(true);
    const location = (await stack.get(`${item}/files/manifest.safe`, auth)).headers.get("location")!;
    const part = await fetch(location, { headers: { range: "bytes=0-99" } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(expected.subarray(0, 100))).toBe(true);
  });

  it("list the files from the central directory", async () => {
    const res = await stack.get(`${item}/files`, auth);
    const body = (await res.json()) as {
      root: string;
      files: { path: string; size: number; href: string }[];
    };
    expect(body.root).toBe(`${product.name}.SAFE`);
    expect(body.files.find((f) => f.path === "manifest.safe")?.size).toBe(
      (await zipMember("/manifest.safe")).length,
    );
    expect(body.files.every((f) => f.href.startsWith(`${stack.api}${item}/files/`))).toBe(true);
  });

  it("serve the quicklook inline, its JPEG 2000 converted to JPEG for browsers, without signing in", async () => {
    const res = await stack.get(`${item}/assets/thumbnail`);
    const image = await follow(res);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect(image.headers.get("content-disposition")).toMatch(/^inline; filename=".*_PVI\.jpg"$/);
    const picture = decodeJpeg(Buffer.from(await image.arrayBuffer()));
    expect([picture.width, picture.height]).toEqual([343, 343]);
  });

  it.each([
    ["/files/..%2F..%2Fetc%2Fpasswd", 400, /not a plain relative path/],
    ["/files/GRANULE%2F.%2Fx", 400, /not a plain relative path/],
    ["/files/no-such-file.xml", 404, /has no file 'no-such-file.xml'/],
    ["/files/GRANULE", 400, /is a folder/],
    ["/assets/nope", 404, /no asset 'nope'/],
  ])("answer %s with %i and a clear description", async (suffix, status, description) => {
    const res = await stack.get(`${item}${suffix}`, auth);
    expect(res.status).toBe(status);
    const body = (await res.json()) as { code: string; description: string };
    expect(body.code).toBeTruthy();
    expect(body.description).toMatch(description);
  });

  it("answer 404 for an unknown product", async () => {
    const res = await stack.get("/collections/sentinel-2-l2a/items/NOPE/files/manifest.safe", auth);
    expect(res.status).toBe(404);
  });
});

describe("small members inline", () => {
  it("answer directly when the member is below the inline threshold", async () => {
    const inline = await startSecuredStack({
      access: { search: "public", download: "public", collections: {} },
    });
    try {
      await inline.upload(product.key, product.bytes, "application/zip");
      const res = await inline.get(`${item}/files/INSPIRE.xml`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/xml");
      expect(Buffer.from(await res.arrayBuffer()).equals(await zipMember("INSPIRE.xml"))).toBe(true);
    } finally {
      await inline.close();
    }
  });
});
