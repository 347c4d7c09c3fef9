// Through the real S3 → queue → ingest path: every class of unreadable product ends as a failure record
// naming the reason, with no item and the object untouched in the bucket.
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { planToBytes, planZip, type ZipInput } from "../../shared/zip/index.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const NAME = "S2A_MSIL2A_20240501T103021_N0510_R051_T31UDQ_20240501T124721";
const zip = (inputs: ZipInput[]) => planToBytes(planZip(inputs));

function corrupt(): Uint8Array {
  const good = generateSentinel2Product({ tile: "31UDQ" }).bytes.slice();
  const cd = Buffer.from(good).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  good.fill(0x41, cd - 4000, cd + 10);
  return good;
}

const cases: [string, string, () => Uint8Array | string, RegExp][] = [
  ["corrupt zip", `bad/corrupt/${NAME}.SAFE.zip`, corrupt, /corrupt zip/],
  [
    "truncated zip",
    `bad/truncated/${NAME}.SAFE.zip`,
    () => {
      const b = generateSentinel2Product({ tile: "31UDQ" }).bytes;
      return b.subarray(0, Math.floor(b.length / 2));
    },
    /truncated zip/,
  ],
  [
    "neither manifest nor product metadata",
    `bad/nomanifest/${NAME}.SAFE.zip`,
    () => zip([{ name: `${NAME}.SAFE/GRANULE/readme.txt`, data: "notes" }]),
    /missing product metadata \(MTD_MSIL/,
  ],
  [
    // Without manifest.safe a Sentinel-2 product is read from its MTD_MSIL*.xml: here it has no footprint.
    "no manifest, product metadata without a footprint",
    `bad/nomanifest-mtd/${NAME}.SAFE.zip`,
    () => zip([{ name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" }]),
    /MTD_MSIL2A\.xml has no EXT_POS_LIST/,
  ],
  ["unknown format", "bad/unknown/readme.dat", () => "hello", /unknown product format/],
  [
    "malformed XML",
    `bad/xml/${NAME}.SAFE.zip`,
    () =>
      zip([
        { name: `${NAME}.SAFE/manifest.safe`, data: "<xfdu:XFDU><unclosed></xfdu:XFDU>" },
        { name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" },
      ]),
    /malformed XML/,
  ],
  [
    "zip bomb",
    `bad/bomb/${NAME}.SAFE.zip`,
    () =>
      zip([
        { name: `${NAME}.SAFE/manifest.safe`, data: new Uint8Array(20 * 1024 * 1024) },
        { name: `${NAME}.SAFE/MTD_MSIL2A.xml`, data: "<a/>" },
      ]),
    /zip bomb/,
  ],
  [
    "invalid sidecar",
    "bad/sidecar/x.stac.json",
    () => JSON.stringify({ type: "Feature", id: "x" }),
    /sidecar/,
  ],
  [
    "sidecar breaking an extension schema it declares",
    "bad/sidecar-schema/x.stac.json",
    () =>
      JSON.stringify({
        type: "Feature",
        stac_version: "1.1.0",
        stac_extensions: ["https://stac-extensions.github.io/eo/v1.1.0/schema.json"],
        id: "cloudy",
        geometry: { type: "Point", coordinates: [14, 50] },
        bbox: [14, 50, 14, 50],
        properties: { datetime: "2025-06-01T10:00:00Z", "eo:cloud_cover": "high" },
        links: [],
        assets: { data: { href: "x.tif" } },
      }),
    /properties\.eo:cloud_cover must be number \(schema https:\/\/stac-extensions\.github\.io\/eo\/v1\.1\.0\/schema\.json\)/,
  ],
];

describe("unreadable products through the real ingest path", () => {
  it.each(cases)("%s → failure record, no item, object untouched", async (_name, key, make, reason) => {
    const body = make();
    await stack.upload(key, body);
    const failure = (await stack.catalogue.listFailures()).find((f) => f.key === key);
    expect(failure?.reason).toMatch(reason);
    expect(failure?.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const obj = await stack.s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
    const stored = Buffer.from(await obj.Body!.transformToByteArray());
    expect(stored.equals(Buffer.from(body))).toBe(true);
    // Nothing was indexed for it, and nothing went to the dead-letter queue: it was acknowledged.
    expect(stack.queue.deadLettered).toBe(0);
  });

  it("indexed none of them", async () => {
    const res = await stack.get("/search?limit=100");
    expect(res.body.features).toHaveLength(0);
  });

  it("an overwritten good product that turns bad loses its item; fixing it brings the item back", async () => {
    const good = generateSentinel2Product({ tile: "33UVR", datetime: "2023-04-04T10:00:00.024Z" });
    const key = `flip/${good.name}.SAFE.zip`;
    await stack.upload(key, good.bytes);
    expect((await stack.get(`/search?ids=${good.name}`)).body.features).toHaveLength(1);
    await stack.upload(key, good.bytes.subarray(0, 1000));
    expect((await stack.get(`/search?ids=${good.name}`)).body.features).toHaveLength(0);
    expect((await stack.catalogue.listFailures()).some((f) => f.key === key)).toBe(true);
    await stack.upload(key, good.bytes);
    expect((await stack.get(`/search?ids=${good.name}`)).body.features).toHaveLength(1);
    expect((await stack.catalogue.listFailures()).some((f) => f.key === key)).toBe(false);
  });
});
