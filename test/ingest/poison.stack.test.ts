// Poison uploads (sizes DynamoDB cannot hold, datetimes beyond what the index orders, positions off the
// globe, broken geometry) end as failure records naming the problem, not in the dead-letter queue; the
// Transactions API refuses the same items with a 400 naming the field (one validation for both).
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SecuredStack, startSecuredStack } from "../download/secured-stack.ts";

let stack: SecuredStack;
beforeAll(async () => {
  stack = await startSecuredStack();
});
afterAll(() => stack?.close());

// biome-ignore format: one ring reads best on one line
const SQUARE = [[14, 50], [14.5, 50], [14.5, 50.3], [14, 50.3], [14, 50]];
const C = "poison-test";

function item(id: string, over: Record<string, unknown> = {}, props: Record<string, unknown> = {}) {
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id,
    collection: C,
    geometry: { type: "Polygon", coordinates: [SQUARE] },
    bbox: [14, 50, 14.5, 50.3],
    properties: { datetime: "2025-06-01T10:00:00Z", ...props },
    links: [],
    assets: {},
    ...over,
  };
}
const polygon = (ring: unknown[]) => ({ type: "Polygon", coordinates: [ring] });

// [name, item JSON text, what the reason must name]
const cases: [string, string, RegExp][] = [
  ["id over 1 KB", JSON.stringify(item("i".repeat(1100))), /id must be at most 500 bytes/],
  [
    "collection over 1 KB",
    JSON.stringify(item("c", { collection: "c".repeat(1100) })),
    /collection must be at most/,
  ],
  [
    "datetime beyond JavaScript's range",
    JSON.stringify(item("d", {}, { datetime: "+275760-09-13T00:00:00.000Z" })),
    /properties\.datetime .*outside the years 0000 to 9999/,
  ],
  [
    "datetime past 9999",
    JSON.stringify(item("d2", {}, { datetime: "+012000-01-01T00:00:00.000Z" })),
    /properties\.datetime/,
  ],
  [
    "latitude beyond 90",
    JSON.stringify(
      item("lat", {
        geometry: polygon([
          [14, 50],
          [14.5, 95],
          [14, 50.3],
          [14, 50],
        ]),
      }),
    ),
    /latitude 95 is outside -90 to 90/,
  ],
  [
    "longitude beyond 180",
    JSON.stringify(
      item("lon", {
        geometry: polygon([
          [14, 50],
          [200, 50],
          [14, 50.3],
          [14, 50],
        ]),
      }),
    ),
    /longitude 200 is outside -180 to 180/,
  ],
  // JSON has no Infinity, but 1e999 parses to it.
  [
    "non-finite coordinate",
    JSON.stringify(item("inf", { geometry: polygon(SQUARE) })).replace("[14,50]", "[1e999,50]"),
    /finite numbers/,
  ],
  ["empty ring", JSON.stringify(item("ring0", { geometry: polygon([]) })), /at least 4 positions, has 0/],
  [
    "too few positions",
    JSON.stringify(
      item("ring2", {
        geometry: polygon([
          [14, 50],
          [14.5, 50],
        ]),
      }),
    ),
    /at least 4 positions, has 2/,
  ],
  [
    "no rings",
    JSON.stringify(item("rings", { geometry: { type: "Polygon", coordinates: [] } })),
    /at least one ring/,
  ],
  ["bbox off the globe", JSON.stringify(item("bb", { bbox: [14, 50, 14.5, 91] })), /bbox latitudes/],
  [
    "item over 400 KB",
    JSON.stringify(item("big", {}, { "poison:padding": "x".repeat(420_000) })),
    /item( '[^']+')? is \d+ bytes of JSON/,
  ],
];

describe("poison uploads", () => {
  it.each(cases)(
    "%s → a failure record naming the problem, the object kept, no DLQ",
    async (_n, body, reason) => {
      const key = `poison/${_n.replace(/\W+/g, "-")}.stac.json`;
      await stack.s3.send(new PutObjectCommand({ Bucket: stack.endpoints.s3.bucket, Key: key, Body: body }));
      await stack.settled();
      const failure = (await stack.catalogue.listFailures()).find((f) => f.key === key);
      expect(failure?.reason).toMatch(reason);
      expect(stack.queue.deadLettered).toBe(0);
    },
  );

  it("indexed none of them (not even their collection was created)", async () => {
    expect(await stack.catalogue.getCollection(C)).toBeUndefined();
  });

  it("the Transactions API answers 400 (413 for the oversized item) naming the problem for the same items", async () => {
    const operator = stack.basic("operator", "operator-password");
    const headers = { authorization: operator, "content-type": "application/json" };
    const created = await fetch(`${stack.endpoints.api}/collections`, {
      method: "POST",
      headers,
      body: JSON.stringify({ type: "Collection", id: C, description: "x", license: "CC0-1.0", links: [] }),
    });
    expect(created.status).toBe(201);
    for (const [name, body, reason] of cases) {
      if (name.startsWith("collection")) continue; // the path names the collection: a 404 there
      const res = await fetch(`${stack.endpoints.api}/collections/${C}/items`, {
        method: "POST",
        headers,
        body,
      });
      const answer = (await res.json()) as { code: string; description: string };
      // Too large to store is the caller's to shrink: 413 Payload Too Large; every other problem is a 400.
      const status = name === "item over 400 KB" ? 413 : 400;
      expect({ name, status: res.status }).toEqual({ name, status });
      expect(answer.description).toMatch(reason);
    }
  });
});
