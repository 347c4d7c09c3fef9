// Users over HTTP: bearer tokens from the local issuer, HTTP Basic, 401s with WWW-Authenticate, a
// collection restricted to a group (search included).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";

const product = generateSentinel2Product({ tile: "33UVR", datetime: "2020-02-02T10:00:00.024Z" });
const asset = `/collections/sentinel-2-l2a/items/${product.name}/assets/product`;
let stack: SecuredStack;

beforeAll(async () => {
  stack = await startSecuredStack();
  await stack.upload(product.key, product.bytes, "application/zip");
});
afterAll(() => stack?.close());

async function expect401(res: Response, description: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toMatch(/Bearer realm="hexarchive", Basic realm="hexarchive"/);
  expect(((await res.json()) as { description: string }).description).toMatch(description);
}

describe("public search, signed-in downloads", () => {
  it("lets anyone search", async () => {
    const res = await stack.get(`/search?ids=${product.name}`);
    expect(((await res.json()) as { features: unknown[] }).features).toHaveLength(1);
  });

  it("answers a download without credentials with 401 and a challenge", async () => {
    await expect401(await stack.get(asset), /sign in to download/);
  });

  it("accepts a token from the issuer's token endpoint", async () => {
    const token = await stack.token("demo", "demo-password");
    expect((await stack.get(asset, `Bearer ${token}`)).status).toBe(302);
  });

  it("refuses a bad password at the token endpoint", async () => {
    await expect(stack.token("demo", "wrong")).rejects.toThrow(/401/);
  });

  it("refuses a tampered, a foreign and an expired token", async () => {
    const token = await stack.token("demo", "demo-password");
    const [h, c, s] = token.split(".");
    const claims = JSON.parse(Buffer.from(c!, "base64url").toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, "cognito:groups": ["operators"] })).toString("base64url")}.${s}`;
    await expect401(await stack.get(asset, `Bearer ${forged}`), /bad signature/);
    await expect401(await stack.get(asset, "Bearer not.a.jwt"), /invalid bearer token/);
    const expired = stack.issuer.tokenFor("demo", { expiresIn: -120 });
    await expect401(await stack.get(asset, `Bearer ${expired}`), /expired/);
  });

  it("accepts HTTP Basic with the same users and refuses a wrong password", async () => {
    expect((await stack.get(asset, stack.basic("demo", "demo-password"))).status).toBe(302);
    await expect401(await stack.get(asset, stack.basic("demo", "nope")), /wrong user name or password/);
    await expect401(await stack.get(`/search?ids=${product.name}`, stack.basic("demo", "nope")), /wrong/);
  });
});

describe("a collection restricted to a group", () => {
  let restricted: SecuredStack;
  beforeAll(async () => {
    restricted = await startSecuredStack({
      access: {
        search: "public",
        download: "authenticated",
        collections: { "sentinel-2-l2a": { search: "group:partners" } },
      },
    });
    await restricted.upload(product.key, product.bytes, "application/zip");
    restricted.issuer.addUser("partner", "partner-password", ["partners"]);
  });
  afterAll(() => restricted?.close());

  it("hides it from anonymous users and outsiders, search included", async () => {
    const anonymous = await restricted.get(`/search?ids=${product.name}`);
    expect(anonymous.status).toBe(401);
    expect((await restricted.get("/collections/sentinel-2-l2a")).status).toBe(401);
    const outsider = restricted.basic("demo", "demo-password");
    expect((await restricted.get("/collections/sentinel-2-l2a/items", outsider)).status).toBe(403);
    expect((await restricted.get(asset, outsider)).status).toBe(403);
    const list = (await (await restricted.get("/collections", outsider)).json()) as {
      collections: { id: string }[];
    };
    expect(list.collections.map((c) => c.id)).not.toContain("sentinel-2-l2a");
  });

  it("leaks nothing of it through aggregations or queryables", async () => {
    const outsider = restricted.basic("demo", "demo-password");
    expect((await restricted.get("/aggregate?collections=sentinel-2-l2a", outsider)).status).toBe(403);
    // With no collection named, aggregations count only what the caller may search: here, nothing
    // (anonymous callers are asked to sign in; a signed-in outsider gets the empty answer).
    expect((await restricted.get("/aggregate?aggregations=total_count")).status).toBe(401);
    const counted = await restricted.get("/aggregate?aggregations=total_count", outsider);
    expect(await counted.json()).toMatchObject({ aggregations: [{ name: "total_count", value: 0 }] });
    const searched = await restricted.get("/search", outsider);
    expect(searched.status).toBe(200);
    expect(((await searched.json()) as { features: unknown[] }).features).toEqual([]);
    const q = (await (await restricted.get("/queryables", outsider)).json()) as { properties: object };
    expect(Object.keys(q.properties)).not.toContain("s2:mgrs_tile");
    expect(Object.keys(q.properties)).not.toContain("eo:cloud_cover");
    const partner = restricted.basic("partner", "partner-password");
    const pq = (await (await restricted.get("/queryables", partner)).json()) as { properties: object };
    expect(Object.keys(pq.properties)).toContain("eo:cloud_cover");
  });

  it("shows it to the group's members", async () => {
    const partner = restricted.basic("partner", "partner-password");
    const res = await restricted.get(`/search?ids=${product.name}`, partner);
    expect(((await res.json()) as { features: unknown[] }).features).toHaveLength(1);
    expect((await restricted.get(asset, partner)).status).toBe(302);
  });
});
