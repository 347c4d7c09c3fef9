// A deleted product through the DHuS facade: its UUID's resources answer 410 Gone in DHuS's error form
// (a message sentinelsat turns into InvalidKeyError), while UUIDs that never named a product stay 404.
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productUuid } from "../../shared/index/product-uuid.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { makeCollection, makeItem } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`;
const OPERATOR = basic("operator", "operator-password");
const DEMO = { headers: { authorization: basic("demo", "demo-password") } };
const C = "gone-s2";
const AT = "2024-05-01T10:00:00.000Z";
const uuid = (id: string) => productUuid(C, id, AT);
const product = (id: string, rest = "") => app.get(`/dhus/odata/v1/Products('${uuid(id)}')${rest}`, DEMO);

beforeAll(async () => {
  app = await startTestApp();
  await app.catalogue.putCollection(makeCollection(C, "S2", "test", []));
  // Two products at the same instant: the deleted one's UUID must not be confused with its neighbour's.
  for (const [i, id] of ["S2A_GONE", "S2A_KEPT"].entries()) {
    const item: StacItem = makeItem({ id, collection: C, datetime: AT, lon: 14 + i, lat: 50 });
    const key = `products/${id}.zip`;
    item.assets = {
      product: { href: `s3://${app.bucket}/${key}`, type: "application/zip", roles: ["data"] },
    };
    await app.s3.send(new PutObjectCommand({ Bucket: app.bucket, Key: key, Body: "zip bytes" }));
    const built = buildItemRows(item, "v1");
    await app.catalogue.putItem(item, built.rows, built.record, "v1", key);
    await app.catalogue.extendCollection(C, built.summary);
  }
  const r = await app.get(`/collections/${C}/items/S2A_GONE/delete`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: OPERATOR },
    body: JSON.stringify({ cause: "corrupted", text: "Corrupted archive" }),
  });
  expect(r.status).toBe(200);
});
afterAll(() => app?.close());

describe("DHuS Products of a deleted product", () => {
  it("answers 410 Gone with the DHuS error body, a cause-message and the cause", async () => {
    const r = await product("S2A_GONE", "?$format=json");
    expect(r.status).toBe(410);
    const message = r.body.error.message.value as string;
    expect(r.body.error).toMatchObject({ code: null, message: { lang: "en" } });
    // sentinelsat raises InvalidKeyError for any error message holding "Invalid key".
    expect(message).toMatch(new RegExp(`^Invalid key \\(${uuid("S2A_GONE")}\\) to access Products`));
    expect(message).toMatch(/S2A_GONE was deleted on .*corrupted \(Corrupted archive\)/);
    expect(message).not.toContain(" : ");
    expect(r.headers.get("cause-message")).toBe(message);
  });

  it("answers 410 for everything under it too: $value, Online, Attributes, Nodes", async () => {
    for (const rest of [
      "/$value",
      "/Online/$value",
      "/Attributes('Filename')/Value/$value",
      "/Nodes('S2A_GONE.SAFE')/Nodes('manifest.safe')?$format=json",
      "/Products('Quicklook')/$value",
    ])
      expect((await product("S2A_GONE", rest)).status, rest).toBe(410);
    expect(
      (await app.get(`/dhus/odata/v1/Products('${uuid("S2A_GONE")}')/$value`, { ...DEMO, method: "HEAD" }))
        .status,
    ).toBe(410);
  });

  it("keeps 404 for UUIDs that never named a product, and 200 for the one beside it", async () => {
    expect((await product("S2A_KEPT", "?$format=json")).status).toBe(200);
    // Same collection and instant, an id that never existed: the UUID is well formed and still unknown.
    const never = await product("S2A_NEVER", "?$format=json");
    expect(never.status).toBe(404);
    expect(never.body.error.message.value).toMatch(/^Invalid key/);
    expect((await app.get("/dhus/odata/v1/Products('not-a-uuid')?$format=json", DEMO)).status).toBe(404);
    const otherCollection = productUuid("no-such-collection", "S2A_GONE", AT);
    expect((await app.get(`/dhus/odata/v1/Products('${otherCollection}')`, DEMO)).status).toBe(404);
  });
});
