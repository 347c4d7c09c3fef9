// The CLI's pure parts: globs, reading aria2 and Metalink lists (as the API writes them), Retry-After,
// the search body its flags make, and file names that would leave the output folder.
import { describe, expect, it } from "vitest";
import { targetPath } from "../../cli/download/fetch-file.ts";
import { globRegex, parseAria2, parseMetalink, selectAssets } from "../../cli/download/plan.ts";
import { parseSize } from "../../cli/format.ts";
import { retryAfterMs } from "../../cli/http.ts";
import { searchBody } from "../../cli/search-query.ts";
import {
  assetHashes,
  type ListFile,
  renderAria2,
  renderMetalink,
} from "../../shared/download/download-list.ts";

const FILES: ListFile[] = [
  {
    name: "S2A_x/S2A_x.SAFE.zip",
    url: "http://h/collections/c/items/S2A_x/assets/product?signature=a.b",
    size: 123,
    hashes: [
      ["sha-256", "ab".repeat(32)],
      ["md5", "cd".repeat(16)],
    ],
  },
  { name: "odd & <name>/f.xml", url: "http://h/x?a=1&b=2", hashes: [] },
];

describe("download lists", () => {
  it("round-trip through the CLI's readers: names, URLs, sizes and checksums", () => {
    expect(parseMetalink(renderMetalink(FILES))).toEqual(FILES);
    const aria = parseAria2(renderAria2(FILES));
    expect(aria.map((f) => [f.name, f.url])).toEqual(FILES.map((f) => [f.name, f.url]));
    // aria2 takes one checksum: the strongest.
    expect(aria[0]!.hashes).toEqual([["sha-256", "ab".repeat(32)]]);
  });

  it("reads file:checksum multihashes and the MD5 kept beside a stronger one", () => {
    expect(assetHashes({ href: "", "file:checksum": `d50110${"e".repeat(32)}` })).toEqual([
      ["md5", "e".repeat(32)],
    ]);
    expect(
      assetHashes({ href: "", "file:checksum": `1220${"A".repeat(64)}`, "hexarchive:md5": "f".repeat(32) }),
    ).toEqual([
      ["sha-256", "a".repeat(64)],
      ["md5", "f".repeat(32)],
    ]);
    expect(assetHashes({ href: "", "file:checksum": "zz" })).toEqual([]);
  });
});

describe("CLI selection", () => {
  it("globs: * within a folder, ** across folders, ? one character", () => {
    expect(globRegex("**/IMG_DATA/*_B04_*.jp2").test("GRANULE/L2A_T33/IMG_DATA/R10m/x_B04_10m.jp2")).toBe(
      false,
    );
    expect(globRegex("**/IMG_DATA/**/*_B04_*.jp2").test("GRANULE/L2A_T33/IMG_DATA/R10m/x_B04_10m.jp2")).toBe(
      true,
    );
    expect(globRegex("**/MTD_*.xml").test("MTD_MSIL2A.xml")).toBe(true);
    expect(globRegex("*.xml").test("GRANULE/a.xml")).toBe(false);
    expect(globRegex("B0?").test("B04")).toBe(true);
    expect(globRegex("a.b").test("axb")).toBe(false);
  });

  it("downloads the product by default, else every asset but previews", () => {
    const item = (keys: string[]) => ({
      id: "i",
      collection: "c",
      properties: {},
      assets: Object.fromEntries(
        keys.map((k) => [k, { href: "", roles: k === "thumbnail" ? ["thumbnail"] : ["data"] }]),
      ),
    });
    expect(selectAssets(item(["product", "B04", "thumbnail"]), [])).toEqual(["product"]);
    expect(selectAssets(item(["B04", "B08", "thumbnail"]), [])).toEqual(["B04", "B08"]);
    expect(selectAssets(item(["B04", "B08", "SCL"]), ["B0*"])).toEqual(["B04", "B08"]);
  });

  it("refuses list names that would leave the output folder", () => {
    expect(() => targetPath("/out", "../etc/passwd")).toThrow(/leaves the output folder/);
    expect(() => targetPath("/out", "/etc/passwd")).toThrow(/leaves the output folder/);
    expect(targetPath("/out", "item/f.zip")).toBe("/out/item/f.zip");
  });
});

describe("CLI parsing", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(null)).toBeUndefined();
    const at = new Date(Date.now() + 10_000).toUTCString();
    expect(retryAfterMs(at)).toBeGreaterThan(8000);
  });

  it("makes the search body: WKT and a filter joined as CQL2, sortby, lists", () => {
    expect(
      searchBody({
        wkt: "POINT(1 2)",
        filter: "eo:cloud_cover < 20",
        collections: ["a,b", "c"],
        sortby: "-datetime,+id",
      }),
    ).toEqual({
      collections: ["a", "b", "c"],
      filter: "(eo:cloud_cover < 20) AND (S_INTERSECTS(geometry, POINT(1 2)))",
      "filter-lang": "cql2-text",
      sortby: [
        { field: "datetime", direction: "desc" },
        { field: "id", direction: "asc" },
      ],
    });
    expect(() => searchBody({ bbox: "1,2" })).toThrow(/--bbox/);
  });

  it("reads sizes with units", () => {
    expect(parseSize("2M")).toBe(2 * 1024 * 1024);
    expect(parseSize("500k")).toBe(512_000);
    expect(parseSize("12")).toBe(12);
    expect(parseSize("fast")).toBeUndefined();
  });
});
