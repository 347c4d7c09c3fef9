// POST /search/download-list under access rules: who gets a list of what, and that its refresh links
// are signed for the caller and the one asset, for days (not the presigned URL's minutes).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StacItem } from "../../shared/stac/types.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { makeCollection, makeItem, seed } from "./seed.ts";

let app: TestApp;
const SHA = "ab".repeat(32);

function product(id: string, collection: string): StacItem {
  const item = makeItem({ id, collection, datetime: "2024-06-01T10:00:00Z", lon: 14, lat: 50 });
  item.assets = {
    product: {
      href: `s3://${app.bucket}/${collection}/${id}.zip`,
      type: "application/zip",
      roles: ["data"],
      "file:size": 1234,
      "file:checksum": `1220${SHA}`,
    },
    metadata: {
      href: `s3://${app.bucket}/${collection}/${id}.xml`,
      type: "application/xml",
      roles: ["metadata"],
    },
  };
  return item;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

async function list(body: unknown, auth?: string, query = "") {
  const res = await fetch(`${app.api}/search/download-list${query}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  app = await startTestApp({
    access: {
      search: "public",
      download: "authenticated",
      collections: { partner: { download: "group:partners" } },
    },
    presignSeconds: 60,
  });
  await seed(
    app,
    [makeCollection("open", "Open", "d", []), makeCollection("partner", "Partner", "d", [])],
    [product("o-1", "open"), product("o-2", "open"), product("p-1", "partner")],
  );
});
afterAll(() => app?.close());

describe("POST /search/download-list", () => {
  it("lists each file with size, SHA-256 and a week-long refresh link signed for the caller and the asset", async () => {
    const { user, password } = app.endpoints.auth;
    const r = await list({ collections: ["open"] }, basic(user, password));
    expect(r.status).toBe(200);
    const files = [...r.text.matchAll(/<file name="([^"]+)">/g)].map((m) => m[1]);
    expect(files.sort()).toEqual(["o-1/o-1.xml", "o-1/o-1.zip", "o-2/o-2.xml", "o-2/o-2.zip"]);
    expect(r.text).toContain(`<hash type="sha-256">${SHA}</hash>`);
    expect(r.text).toContain("<size>1234</size>");
    const url = new URL(/<url>([^<]+)<\/url>/.exec(r.text)![1]!.replaceAll("&amp;", "&"));
    const claim = JSON.parse(
      Buffer.from(url.searchParams.get("signature")!.split(".")[0]!, "base64url").toString(),
    );
    expect(claim).toMatchObject({ k: "asset", u: user, c: "open" });
    expect(claim.e * 1000 - Date.now()).toBeGreaterThan(6 * 24 * 3600 * 1000);
    // It opens that asset without credentials, and no other.
    expect((await fetch(url, { redirect: "manual" })).status).toBe(302);
    const other = new URL(url);
    other.pathname = other.pathname.replace(
      /assets\/[^/]+$/,
      url.pathname.endsWith("product") ? "assets/metadata" : "assets/product",
    );
    expect((await fetch(other, { redirect: "manual" })).status).toBe(401);
  });

  it("takes asset keys and baskets; answers 401 anonymous, 403 not entitled, 400 for bad bodies", async () => {
    const demo = basic(app.endpoints.auth.user, app.endpoints.auth.password);
    const op = basic(app.endpoints.auth.operator.user, app.endpoints.auth.operator.password);
    const only = await list(
      { ids: [{ collection: "open", id: "o-1" }], assets: ["product"] },
      demo,
      "?format=aria2",
    );
    expect(only.status).toBe(200);
    expect(only.text.match(/^http/gm)).toHaveLength(1);
    expect(only.text).toContain(`  checksum=sha-256=${SHA}`);
    expect((await list({ collections: ["open"] })).status).toBe(401);
    expect((await list({ collections: ["partner"] }, demo)).status).toBe(403);
    expect((await list({ ids: [{ collection: "partner", id: "p-1" }] }, demo)).status).toBe(403);
    expect((await list({ collections: ["partner"] }, op)).status).toBe(200);
    const bad = await list({ ids: [{ collection: "open" }] }, demo);
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/ids\[0\]/);
    expect((await list({ assets: "product" }, demo)).status).toBe(400);
    expect((await list({ ids: [{ collection: "open", id: "o-1" }], bbox: [0, 0, 1, 1] }, demo)).status).toBe(
      400,
    );
  });
});
