// Quicklooks over HTTP on the local stack: the STAC thumbnail asset (PNG as it is, JPEG 2000 converted
// for browsers) and DHuS's `Products('Quicklook')/$value` (always JPEG), converted once and then served
// from the download cache; an undecodable preview is a clear 422.
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { decode as decodeJpeg } from "jpeg-js";
import pngjs from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archiveBytes } from "../../dev/synthetic/common.ts";
import { planSentinel1Product } from "../../dev/synthetic/sentinel-1.ts";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { UUID_PROPERTY } from "../../shared/index/product-uuid.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const s1 = planSentinel1Product({ datetime: "2024-05-01T05:20:11.153Z" });
const s2 = generateSentinel2Product({ tile: "33UVR", datetime: "2024-05-02T10:30:21.024Z" });
const S1_ITEM = `/collections/sentinel-1-grd/items/${s1.name}`;
const S2_ITEM = `/collections/sentinel-2-l2a/items/${s2.name}`;
let stack: TestStack;
let auth: Record<string, string>;

/** The body of an answer, following a redirect to a presigned URL when there is one. */
async function fetchImage(url: string, headers: Record<string, string> = {}) {
  let res = await fetch(url, { redirect: "manual", headers });
  if (res.status === 302) res = await fetch(res.headers.get("location")!);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function dhusQuicklook(item: string) {
  const uuid = (await stack.get(item)).body.properties[UUID_PROPERTY];
  return fetchImage(`${stack.api}/dhus/odata/v1/Products('${uuid}')/Products('Quicklook')/$value`, auth);
}

beforeAll(async () => {
  stack = await startTestStack();
  const { user, password } = stack.endpoints.auth;
  auth = { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
  await stack.upload(s1.key, archiveBytes(s1), "application/zip");
  await stack.upload(s2.key, s2.bytes, "application/zip");
}, 120_000);
afterAll(() => stack?.close());

describe("STAC thumbnail asset", () => {
  it("serves a Sentinel-1 PNG quick-look as it is: browsers show PNG", async () => {
    const { res, bytes } = await fetchImage(`${stack.api}${S1_ITEM}/assets/thumbnail`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = pngjs.PNG.sync.read(Buffer.from(bytes));
    expect([png.width, png.height]).toEqual([320, 200]);
  });

  it("converts a Sentinel-2 JPEG 2000 preview to a JPEG shown inline", async () => {
    const { res, bytes } = await fetchImage(`${stack.api}${S2_ITEM}/assets/thumbnail`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename=".*_PVI\.jpg"$/);
    const img = decodeJpeg(bytes);
    expect([img.width, img.height]).toEqual([343, 343]);
  });
});

describe("DHuS Products('Quicklook')/$value", () => {
  it("answers a JPEG for a PNG quick-look (Sentinel-1)", async () => {
    const { res, bytes } = await dhusQuicklook(S1_ITEM);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    const img = decodeJpeg(bytes);
    expect([img.width, img.height]).toEqual([320, 200]);
  });

  it("answers a JPEG for a JPEG 2000 preview (Sentinel-2), the same bytes again from the cache", async () => {
    const first = await dhusQuicklook(S2_ITEM);
    expect(first.res.headers.get("content-type")).toBe("image/jpeg");
    expect([decodeJpeg(first.bytes).width, decodeJpeg(first.bytes).height]).toEqual([343, 343]);
    const cached = await stack.s3.send(
      new ListObjectsV2Command({
        Bucket: stack.endpoints.downloads.cacheBucket,
        Prefix: "quicklooks/",
      }),
    );
    expect(cached.Contents?.some((o) => o.Key?.endsWith("_PVI.jpg"))).toBe(true);
    const again = await dhusQuicklook(S2_ITEM);
    expect(Buffer.from(again.bytes).equals(Buffer.from(first.bytes))).toBe(true);
  });

  it("answers 422 with the reason when the preview is not a picture", async () => {
    await stack.upload("previews/broken.jp2", new Uint8Array(512), "image/jp2");
    const base = (await stack.catalogue.getItem("sentinel-2-l2a", s2.name))!.item;
    const item: StacItem = {
      ...base,
      id: "BROKEN_PREVIEW",
      properties: { ...base.properties, datetime: "2023-01-01T00:00:00.000Z" },
      assets: {
        ...base.assets,
        thumbnail: {
          href: `s3://${stack.bucket}/previews/broken.jp2`,
          type: "image/jp2",
          roles: ["thumbnail"],
        },
      },
    };
    const rows = buildItemRows(item, "v1");
    await stack.catalogue.putItem(item, rows.rows, rows.record, "v1");
    const res = await fetch(`${stack.api}/collections/sentinel-2-l2a/items/BROKEN_PREVIEW/assets/thumbnail`);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { code: string; description: string };
    expect(body.description).toMatch(
      /broken\.jp2 of 'BROKEN_PREVIEW' cannot be shown: not a PNG, JPEG or JPEG 2000/,
    );
  });
});
