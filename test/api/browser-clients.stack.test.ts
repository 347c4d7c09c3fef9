// What STAC Browser (and other browser clients) read beyond items: a thumbnail whose media type is what
// is served, sortables, collections that link their queryables, and how to sign in (STAC Authentication).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const product = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:30:21.024Z" });
const item = `/collections/sentinel-2-l2a/items/${product.name}`;
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ access: DEFAULT_ACCESS });
  await stack.upload(product.key, product.bytes, "application/zip");
});
afterAll(() => stack?.close());

type Link = { rel: string; href: string };

describe("browser clients", () => {
  it("label a JPEG 2000 thumbnail with the JPEG it is served as", async () => {
    const thumb = (await stack.get(item)).body.assets.thumbnail;
    expect(thumb.type).toBe("image/jpeg");
    const res = await fetch(thumb.href);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(thumb.type);
  });

  it("find /sortables from the landing page, with scalar fields only", async () => {
    const landing = (await stack.get("/")).body;
    const link = landing.links.find((l: Link) => l.rel.endsWith("/sortables"));
    expect(link.href).toBe(`${stack.api}/sortables`);
    const res = await stack.get("/sortables");
    expect(res.status).toBe(200);
    expect(res.body.properties).toHaveProperty("datetime");
    expect(res.body.properties).toHaveProperty("eo:cloud_cover");
    expect(res.body.properties).not.toHaveProperty("geometry");
    expect((await stack.get("/collections/sentinel-2-l2a/sortables")).status).toBe(200);
  });

  it("find each collection's queryables from the collection", async () => {
    const c = (await stack.get("/collections/sentinel-2-l2a")).body;
    const q = c.links.find((l: Link) => l.rel === "http://www.opengis.net/def/rel/ogc/1.0/queryables");
    expect(q.href).toBe(`${stack.api}/collections/sentinel-2-l2a/queryables`);
    expect((await stack.get(q.href)).status).toBe(200);
  });

  it("learn how to sign in: auth:schemes on the landing page and collections, auth:refs on protected assets", async () => {
    for (const doc of [(await stack.get("/")).body, (await stack.get("/collections/sentinel-2-l2a")).body]) {
      expect(doc.stac_extensions).toContain(
        "https://stac-extensions.github.io/authentication/v1.1.0/schema.json",
      );
      expect(Object.keys(doc["auth:schemes"])).toEqual(["basic", "bearer", "signed_url"]);
      expect(doc["auth:schemes"].signed_url.flows.authorizationCode.authorizationApi).toBe(
        `${stack.api}/sign`,
      );
    }
    const assets = (await stack.get(item)).body.assets;
    expect(assets.product["auth:refs"]).toEqual(["basic", "bearer", "signed_url"]);
    expect(assets.thumbnail["auth:refs"]).toBeUndefined();
  });
});
