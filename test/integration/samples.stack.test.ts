// The quick start's sample catalogue: every sample uploads through S3 and is indexed by the real
// ingest path, with no failure records — including the ERA5-like GRIB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_PRODUCTS, uploadSamples } from "../../dev/local/samples.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
let keys: string[];

beforeAll(async () => {
  stack = await startTestStack();
  keys = await uploadSamples(stack.s3, stack.bucket);
  await new Promise((r) => setTimeout(r, 50));
  await stack.settled();
}, 120_000);
afterAll(() => stack?.close());

describe("npm start's sample products", () => {
  it("are all indexed, one item each, with no failure records", async () => {
    expect(keys).toHaveLength(SAMPLE_PRODUCTS.length + 1);
    const res = await stack.get("/search?limit=100");
    expect(res.status).toBe(200);
    expect(res.body.features).toHaveLength(keys.length);
    expect(await stack.catalogue.listFailures()).toEqual([]);
  });

  it("include an ERA5-like GRIB found by time and over any place on the globe", async () => {
    const res = await stack.post("/search", {
      intersects: { type: "Point", coordinates: [-150.3, -60.1] },
      datetime: "2024-05-02T12:00:00Z",
      limit: 10,
    });
    expect(res.status).toBe(200);
    const grib = res.body.features.filter((f: { collection: string }) => /grib|era5/.test(f.collection));
    expect(grib).toHaveLength(1);
    expect(grib[0].properties.start_datetime).toBe("2024-05-01T00:00:00Z");
    expect(grib[0].properties.end_datetime).toBe("2024-05-03T23:00:00Z");
  });
});
