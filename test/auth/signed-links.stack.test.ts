// Signed links over HTTP (shared/auth/signed-hrefs.ts): what a signed-in caller is handed, what a link
// opens without credentials (its own asset, as its user, authorized again) and what it does not.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { HrefSigner } from "../../shared/auth/signed-hrefs.ts";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";

const open = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
const item = `/collections/sentinel-2-l2a/items/${open.name}`;
let stack: SecuredStack;
let demo: string;

beforeAll(async () => {
  stack = await startSecuredStack({
    access: {
      search: "public",
      download: "authenticated",
      collections: { "sentinel-1-grd": { search: "group:partners", download: "group:partners" } },
    },
  });
  await stack.upload(open.key, open.bytes, "application/zip");
  demo = stack.basic("demo", "demo-password");
});
afterAll(() => stack?.close());

const json = async (res: Response) => (await res.json()) as any;

describe("asset links handed to a signed-in caller", () => {
  it("are signed for a signed-in caller, plain (with auth:refs) for anyone else", async () => {
    const mine = await json(await stack.get(item, demo));
    expect(mine.assets.product.href).toMatch(/\/assets\/product\?signature=[\w-]+\.[\w-]+$/);
    const anonymous = await json(await stack.get(item));
    expect(anonymous.assets.product.href).toBe(`${stack.api}${item}/assets/product`);
    expect(anonymous.assets.product["auth:refs"]).toEqual(["basic", "bearer", "signed_url"]);
    const found = await json(await stack.get(`/search?ids=${open.name}`, demo));
    expect(found.features[0].assets.product.href).toMatch(/\?signature=/);
  });

  it("open their own asset without credentials, and nothing else", async () => {
    const assets = (await json(await stack.get(item, demo))).assets;
    const href: string = assets.product.href;
    const other = Object.keys(assets).find((k) => k !== "product" && !assets[k].roles?.includes("thumbnail"));
    expect((await stack.get(href)).status).toBe(302);
    const token = new URL(href).searchParams.get("signature")!;
    // The same signature on another asset of the item, or on a file route, is anonymous there.
    expect((await stack.get(`${item}/assets/${other}?signature=${token}`)).status).toBe(401);
    expect((await stack.get(`${item}/files?signature=${token}`)).status).toBe(401);
    // A changed byte of the signature or of what it binds is refused.
    const [payload, mac] = token.split(".");
    const flipped = `${payload}.${mac!.slice(0, -2)}${mac!.endsWith("AA") ? "AB" : "AA"}`;
    const res = await stack.get(`${item}/assets/product?signature=${flipped}`);
    expect(res.status).toBe(401);
    expect((await json(res)).description).toMatch(/signature is not valid/);
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, g: ["operators"] })).toString("base64url");
    expect((await stack.get(`${item}/assets/product?signature=${forged}.${mac}`)).status).toBe(401);
  });
});

describe("file links in a signed-in caller's file list", () => {
  it("open their own file without credentials, as that user, and nothing else", async () => {
    const files = (await json(await stack.get(`${item}/files`, demo))).files as {
      path: string;
      href: string;
    }[];
    const manifest = files.find((f) => f.path === "manifest.safe")!;
    const other = files.find((f) => f.path === "INSPIRE.xml")!;
    expect(manifest.href).toMatch(/\/files\/manifest\.safe\?signature=[\w-]+\.[\w-]+$/);
    expect((await stack.get(manifest.href)).status).toBe(200);
    const token = new URL(manifest.href).searchParams.get("signature")!;
    // The same signature on another file, on the list, or on an asset is anonymous there.
    expect((await stack.get(`${item}/files/INSPIRE.xml?signature=${token}`)).status).toBe(401);
    expect((await stack.get(`${item}/files?signature=${token}`)).status).toBe(401);
    expect((await stack.get(`${item}/assets/product?signature=${token}`)).status).toBe(401);
    expect((await stack.get(other.href)).status).toBe(200);
    // An anonymous list is refused (downloads need sign-in), so nobody gets links by asking.
    expect((await stack.get(`${item}/files`)).status).toBe(401);
  });
});

describe("GET /sign", () => {
  const search = () => `${stack.api}/search?collections=sentinel-2-l2a`;

  it("needs credentials, and a URL of this API", async () => {
    expect((await stack.get(`/sign?href=${encodeURIComponent(search())}`)).status).toBe(401);
    const foreign = await stack.get(`/sign?href=${encodeURIComponent("https://example.com/search")}`, demo);
    expect(foreign.status).toBe(400);
  });

  it("signs an asset only for a caller who may download it", async () => {
    const mine = `${stack.api}${item}/assets/product`;
    const ok = await json(await stack.get(`/sign?href=${encodeURIComponent(mine)}`, demo));
    expect((await stack.get(ok.href)).status).toBe(302);
    const hidden = `${stack.api}/collections/sentinel-1-grd/items/x/assets/product`;
    expect((await stack.get(`/sign?href=${encodeURIComponent(hidden)}`, demo)).status).toBe(403);
  });

  it("signs a file inside a product, which opens that file only", async () => {
    const file = `${stack.api}${item}/files/manifest.safe`;
    const ok = await json(await stack.get(`/sign?href=${encodeURIComponent(file)}`, demo));
    expect(ok.href).toMatch(/\/files\/manifest\.safe\?signature=/);
    expect((await stack.get(ok.href)).status).toBe(200);
    const token = new URL(ok.href).searchParams.get("signature")!;
    expect((await stack.get(`${item}/files/INSPIRE.xml?signature=${token}`)).status).toBe(401);
    const hidden = `${stack.api}/collections/sentinel-1-grd/items/x/files/manifest.safe`;
    expect((await stack.get(`/sign?href=${encodeURIComponent(hidden)}`, demo)).status).toBe(403);
  });

  it("signs a search whose pages and assets stay signed, but which downloads nothing itself", async () => {
    const signed = await json(
      await stack.get(`/sign?href=${encodeURIComponent(`${search()}&limit=1`)}`, demo),
    );
    const page = await json(await stack.get(signed.href));
    expect(page.features[0].assets.product.href).toMatch(/\?signature=/);
    expect(page.links.find((l: { rel: string }) => l.rel === "self").href).toMatch(/signature=/);
    const token = new URL(signed.href).searchParams.get("signature")!;
    expect((await stack.get(`${item}/assets/product?signature=${token}`)).status).toBe(401);
    expect((await stack.get(`/sign?href=${encodeURIComponent(search())}&signature=${token}`)).status).toBe(
      401,
    );
    // A collection's items, signed the same way (its own parameters are checked strictly).
    const items = `${stack.api}/collections/sentinel-2-l2a/items?limit=1`;
    const signedItems = await json(await stack.get(`/sign?href=${encodeURIComponent(items)}`, demo));
    const itemsPage = await json(await stack.get(signedItems.href));
    expect(itemsPage.features[0].assets.product.href).toMatch(/\?signature=/);
  });
});

describe("HrefSigner", () => {
  const key = Buffer.alloc(32, 7);
  const p = { user: "demo", groups: [], via: "basic" as const };
  const b = { collection: "c", item: "i", asset: "a" };

  it("refuses an expired link and one signed with another key", () => {
    let now = 1_000_000_000_000;
    const signer = new HrefSigner(key, 60, () => now);
    const { token } = signer.signAsset(p, b);
    expect(signer.verify(token)).toMatchObject({ kind: "asset", binding: b, principal: { user: "demo" } });
    now += 61_000;
    expect(() => signer.verify(token)).toThrow(/expired/);
    const other = new HrefSigner(Buffer.alloc(32, 8), 60, () => now);
    expect(() => other.verify(new HrefSigner(key, 60, () => now).signRead(p).token)).toThrow(/not valid/);
  });
});
