// Every malformed request is a 400 or 404 whose {code, description} names what was wrong — never a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
const product = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-14T10:06:31.024Z" });

beforeAll(async () => {
  stack = await startTestStack();
  await stack.upload(product.key, product.bytes);
});
afterAll(() => stack?.close());

const badGets: [string, number, RegExp][] = [
  ["/search?bbox=1,2,3", 400, /bbox/],
  ["/search?bbox=1,2,3,4,5", 400, /bbox/],
  ["/search?bbox=0,50,10,40", 400, /south .* greater than north/],
  ["/search?bbox=0,-95,10,40", 400, /latitude/],
  ["/search?bbox=-200,0,10,40", 400, /longitude/],
  ["/search?bbox=a,b,c,d", 400, /number/],
  ["/search?datetime=yesterday", 400, /datetime/],
  ["/search?datetime=2024-13-01T00:00:00Z", 400, /datetime/],
  ["/search?datetime=2024-05-01T00:00:00Z/2024-01-01T00:00:00Z", 400, /after end/],
  ["/search?datetime=../..", 400, /datetime/],
  ["/search?limit=0", 400, /limit/],
  ["/search?limit=-5", 400, /limit/],
  ["/search?limit=ten", 400, /limit/],
  ["/search?colections=sentinel-2-l2a", 400, /unknown parameter 'colections'/],
  ["/search?collections=no-such-collection", 400, /no-such-collection/],
  [
    "/search?bbox=0,0,1,1&intersects=%7B%22type%22%3A%22Point%22%2C%22coordinates%22%3A%5B0%2C0%5D%7D",
    400,
    /bbox and intersects/,
  ],
  ["/search?intersects=%7Bnot-json", 400, /intersects/],
  ["/search?token=garbage", 400, /token/],
  ["/collections/no-such-collection", 404, /no-such-collection/],
  ["/collections/no-such-collection/items", 404, /no-such-collection/],
  ["/collections/sentinel-2-l2a/items/NOPE", 404, /NOPE/],
  ["/collections/sentinel-2-l2a/items?foo=bar", 400, /unknown parameter 'foo'/],
  [`/collections/sentinel-2-l2a/items/${product.name}/assets/nope`, 404, /no asset 'nope'/],
  ["/no/such/route", 404, /no such resource/],
];

const badPosts: [unknown, RegExp][] = [
  [{ bbox: [0, 0, 1] }, /bbox/],
  [
    {
      intersects: {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0.5],
          ],
        ],
      },
    },
    /closed/,
  ],
  [
    {
      intersects: {
        type: "Polygon",
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      },
    },
    /at least 4/,
  ],
  [{ intersects: { type: "Circle", coordinates: [0, 0] } }, /Circle/],
  [{ intersects: { type: "Point", coordinates: [0, 100] } }, /out of range/],
  [{ intersects: { type: "Point", coordinates: ["a", 1] } }, /position/],
  [{ bbox: [0, 0, 1, 1], intersects: { type: "Point", coordinates: [0, 0] } }, /bbox and intersects/],
  [{ limit: 1.5 }, /limit/],
  [{ collections: "sentinel-2-l2a" }, /collections/],
  [{ datetime: 2024 }, /datetime/],
  [{ unknown: true }, /unknown parameter 'unknown'/],
];

describe("bad input", () => {
  it.each(badGets)("GET %s → %i naming the problem", async (path, status, message) => {
    const res = await stack.get(path);
    expect(res.status).toBe(status);
    expect(res.body.code).toEqual(expect.any(String));
    expect(res.body.description).toMatch(message);
  });

  it.each(badPosts)("POST /search %j → 400 naming the problem", async (body, message) => {
    const res = await stack.post("/search", body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("BadRequest");
    expect(res.body.description).toMatch(message);
  });

  it("refuses a body that is not JSON, or not an object", async () => {
    const notJson = await stack.get("/search", {
      method: "POST",
      body: "{bbox:",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.description).toMatch(/not valid JSON/);
    const array = await stack.post("/search", [1, 2]);
    expect(array.status).toBe(400);
    expect(array.body.description).toMatch(/JSON object/);
  });

  it("answers a wrong method with 405 and the allowed one", async () => {
    const res = await stack.get("/search", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.body.description).toMatch(/GET/);
  });

  it("clamps a limit above the maximum instead of failing (OGC API - Features)", async () => {
    const res = await stack.get("/search?limit=1000000");
    expect(res.status).toBe(200);
    expect(res.body.features).toHaveLength(1);
  });
});
