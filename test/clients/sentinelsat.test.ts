// sentinelsat 1.1.1 (the Debian package) against the local stack's DHuS-compatible hub: search,
// count, paging, OData, downloads with MD5 checks, node downloads, quicklooks, auth, and agreement
// with the STAC API on the same questions.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { decode as decodeJpeg } from "jpeg-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { DEFAULT_ACCESS } from "../../shared/auth/access-policy.ts";
import { UUID_PROPERTY } from "../../shared/index/product-uuid.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { startTestStack, type TestStack } from "../support/stack.ts";

const run = promisify(execFile);
const PYTHON = "/usr/bin/python3";
const SCRIPT = join(import.meta.dirname, "sentinelsat_client.py");

async function sentinelsatMissing(): Promise<string | undefined> {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  try {
    await run(PYTHON, [
      "-c",
      "import sentinelsat; assert sentinelsat.__version__ == '1.1.1', sentinelsat.__version__",
    ]);
    return undefined;
  } catch (e) {
    return `sentinelsat 1.1.1 is not importable by ${PYTHON} (apt-get install python3-sentinelsat): ${(e as Error).message.split("\n").slice(-2).join(" ")}`;
  }
}
const missing = await sentinelsatMissing();
if (missing) console.warn(`skipping sentinelsat tests: ${missing}`);

let stack: TestStack;
let hub: string;
const products: ReturnType<typeof generateSentinel2Product>[] = [];

// biome-ignore lint/suspicious/noExplicitAny: whatever the Python side printed, checked field by field
type Out = any;

async function client(scenario: string, args: unknown, creds?: [string, string]): Promise<Out> {
  const [user, password] = creds ?? [stack.endpoints.auth.user, stack.endpoints.auth.password];
  // Asynchronous on purpose: the hub answers from this very process.
  const { stdout } = await run(PYTHON, [SCRIPT, hub, user, password, scenario, JSON.stringify(args)], {
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const AOI = "POLYGON((13 49.5,17 49.5,17 51.6,13 51.6,13 49.5))";
const AOI_GEOJSON = {
  type: "Polygon",
  coordinates: [
    [
      [13, 49.5],
      [17, 49.5],
      [17, 51.6],
      [13, 51.6],
      [13, 49.5],
    ],
  ],
};

describe.skipIf(missing !== undefined)("sentinelsat 1.1.1 against /dhus/", () => {
  beforeAll(async () => {
    // Downloads protected, as deployed by default.
    stack = await startTestStack({ access: DEFAULT_ACCESS });
    hub = `${stack.api}/dhus/`;
    const specs = [
      { tile: "33UVR", datetime: "2024-05-01T10:30:21.024Z", cloudCover: 12.5 },
      { tile: "33UVR", datetime: "2024-05-11T10:30:21.024Z", cloudCover: 55 },
      { tile: "33UWR", datetime: "2024-05-03T10:20:21.024Z", cloudCover: 3, platform: "S2B" as const },
      { tile: "33UVR", datetime: "2024-05-06T10:30:21.024Z", cloudCover: 20, level: "L1C" as const },
      { tile: "31UDQ", datetime: "2024-05-02T10:30:21.024Z", cloudCover: 5 },
    ];
    for (const s of specs) {
      const p = generateSentinel2Product(s);
      products.push(p);
      await stack.upload(p.key, p.bytes, "application/zip");
    }
    // Bulk items for paging, written straight to the catalogue: copies of one real item far away.
    const base = (await stack.catalogue.getItem("sentinel-2-l2a", products[4]!.name))!.item;
    for (let i = 0; i < 120; i++) {
      const datetime = new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString();
      const item: StacItem = {
        ...base,
        id: `BULK_${String(i).padStart(3, "0")}`,
        properties: { ...base.properties, datetime },
      };
      const rows = buildItemRows(item, "v1");
      await stack.catalogue.putItem(item, rows.rows, rows.record, "v1");
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.close();
  });

  it("queries by area, date, platform, product type and cloud cover, agreeing with the STAC API", async () => {
    const got = await client("query", {
      area: AOI,
      date: ["20240430", "20240512"],
      platformname: "Sentinel-2",
      producttype: "S2MSI2A",
      cloudcoverpercentage: [0, 30],
    });
    const stac = await stack.post("/search", {
      intersects: AOI_GEOJSON,
      datetime: "2024-04-30T00:00:00Z/2024-05-12T00:00:00Z",
      query: { "eo:cloud_cover": { gte: 0, lte: 30 }, "product:type": { eq: "S2MSI2A" } },
      limit: 100,
    });
    const stacIds = stac.body.features.map((f: { id: string }) => f.id).sort();
    expect(stacIds).toEqual([products[0]!.name, products[2]!.name]);
    expect([...got.identifiers].sort()).toEqual(stacIds);
    // The DHuS uuid is the STAC item's hexarchive:uuid.
    expect([...got.ids].sort()).toEqual(
      stac.body.features
        .map((f: { properties: Record<string, string> }) => f.properties[UUID_PROPERTY])
        .sort(),
    );
    expect(got.first.size).toMatch(/^\d+\.\d\d KB$/);
    expect(got.first.footprint).toMatch(/^POLYGON/);
    expect(got.first.link_icon).toMatch(/Products\('Quicklook'\)\/\$value$/);
    expect(got.geojson_count).toBe(2);
  }, 60_000);

  it("counts, and pages beyond 100 results like DHuS (rows ≤ 100)", async () => {
    const count = await client("count", { platformname: "Sentinel-2" });
    expect(count.count).toBe(125);
    const all = await client("query", { platformname: "Sentinel-2", order_by: "-beginposition" });
    expect(all.ids).toHaveLength(125);
    expect(new Set(all.ids).size).toBe(125);
    expect(all.identifiers[0]).toBe(products[1]!.name); // newest sensing first
    const stac = await stack.get("/search?limit=1000");
    expect(stac.body.numberMatched).toBe(125);
    expect([...all.identifiers].sort()).toEqual(stac.body.features.map((f: { id: string }) => f.id).sort());
    const tile = await client("count", {
      raw: "tileid:33UVR AND (orbitdirection:DESCENDING OR orbitdirection:ASCENDING)",
    });
    expect(tile.count).toBe(3);
  }, 60_000);

  it("reports an unknown field as DHuS did (QuerySyntaxError), and refuses rows above 100", async () => {
    const bad = await client("query", { raw: "xxx:yyy" });
    expect(bad.raised).toBe("QuerySyntaxError");
    expect(bad.message).toBe("undefined field xxx");
    const rows = await client("raw", { path: "search?format=json&rows=101&q=*" });
    expect(rows.status).toBe(400);
  }, 60_000);

  it("reads OData metadata (short and full), the online flag and the hub version", async () => {
    const q = await client("query", { identifier: products[0]!.name });
    const id = q.ids[0];
    const got = await client("odata", { id });
    expect(got.short.title).toBe(products[0]!.name);
    expect(got.short.size).toBe(products[0]!.bytes.length);
    expect(got.short.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(got.short.footprint).toMatch(/^POLYGON\(\(/);
    expect(got.short.date).toBe("2024-05-01 10:30:21.024000");
    expect(got.full["Filename"]).toBe(`${products[0]!.name}.SAFE`);
    expect(got.full["Cloud cover percentage"]).toBe(12.5);
    expect(got.full["Product type"]).toBe("S2MSI2A");
    expect(got.online).toBe(true);
    expect(got.version).toBe("2.4.1");
  }, 60_000);

  it("downloads a product, verifies its MD5, and check_files finds it sound, then corrupt", async () => {
    const id = (await client("query", { identifier: products[2]!.name })).ids[0];
    const got = await client("download", { id });
    expect(got.raised).toBeUndefined();
    expect(got.path.endsWith(`${products[2]!.name}.zip`)).toBe(true);
    expect(got.size).toBe(products[2]!.bytes.length);
    expect(got.check_files).toEqual({});
    expect(got.check_files_corrupt).toHaveLength(1);
  }, 60_000);

  it("downloads only manifest.safe and one band with a node filter (download_all)", async () => {
    const id = (await client("query", { identifier: products[3]!.name })).ids[0];
    const got = await client("nodes", { id, pattern: "*_B02.jp2" });
    expect(got.failed).toEqual({});
    expect(got.downloaded).toEqual([id]);
    const root = `${products[3]!.name}.SAFE`;
    expect(got.files).toHaveLength(2);
    expect(got.files[0]).toMatch(new RegExp(`^${root}/GRANULE/.+/IMG_DATA/T33UVR_\\d{8}T\\d{6}_B02\\.jp2$`));
    expect(got.files[1]).toBe(`${root}/manifest.safe`);
  }, 60_000);

  it("download_all fetches every product at its default 4 at a time in one attempt each, never refused", async () => {
    const ids = (await client("query", { date: ["20240101", "20241231"] })).ids as string[];
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const got = await client("download_all", { ids });
    expect(got.failed).toEqual({});
    expect(got.downloaded).toEqual([...ids].sort());
    expect(got.statuses).not.toContain(403);
  }, 120_000);

  it("quicklooks: a JPEG one downloads as it is, a JPEG 2000 one converted; a product without one is a clear error", async () => {
    const jpeg = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");
    await stack.upload("previews/ql.jpg", jpeg, "image/jpeg");
    const base = (await stack.catalogue.getItem("sentinel-2-l2a", products[4]!.name))!.item;
    const { thumbnail: _, ...withoutThumbnail } = base.assets;
    for (const [id, thumbnail] of [
      [
        "WITH_QUICKLOOK",
        { href: `s3://${stack.bucket}/previews/ql.jpg`, type: "image/jpeg", roles: ["thumbnail"] },
      ],
      ["WITHOUT_QUICKLOOK", undefined],
    ] as const) {
      const item: StacItem = {
        ...base,
        id,
        properties: { ...base.properties, datetime: "2022-06-01T00:00:00.000Z" },
        assets: thumbnail
          ? { ...base.assets, thumbnail: { ...thumbnail, roles: [...thumbnail.roles] } }
          : withoutThumbnail,
      };
      const rows = buildItemRows(item, "v1");
      await stack.catalogue.putItem(item, rows.rows, rows.record, "v1");
    }
    const withQl = (await client("query", { identifier: "WITH_QUICKLOOK" })).ids[0];
    const ok = await client("quicklook", { id: withQl });
    expect(ok.error).toBe("");
    expect(ok.bytes).toBe(jpeg.toString("hex"));
    // The generated product's preview is its _PVI.jp2: converted to a JPEG of the same 343×343.
    const s2 = (await client("query", { identifier: products[0]!.name })).ids[0];
    const converted = await client("quicklook", { id: s2 });
    expect(converted.error).toBe("");
    const picture = decodeJpeg(Buffer.from(converted.bytes, "hex"));
    expect([picture.width, picture.height]).toEqual([343, 343]);
    const without = (await client("query", { identifier: "WITHOUT_QUICKLOOK" })).ids[0];
    const none = await client("quicklook", { id: without });
    expect(none.raised).toBe("ServerError");
    expect(none.message).toMatch(/has no quicklook/);
  }, 60_000);

  it("refuses a wrong password with UnauthorizedError", async () => {
    const got = await client("count", { platformname: "Sentinel-2" }, [stack.endpoints.auth.user, "wrong"]);
    expect(got.raised).toBe("UnauthorizedError");
  }, 60_000);
});
