import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  type ItemVersion,
  itemVersion,
  VERSION_EXTENSION,
  versionChain,
  withVersionLinks,
} from "../../shared/products/versions.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { FIXTURES, HAVE_FIXTURES } from "./reference.ts";

const item = (id: string, collection = "c", properties: Record<string, unknown> = {}): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  id,
  collection,
  geometry: null,
  properties: { datetime: "2024-01-01T00:00:00Z", ...properties },
  links: [],
  assets: {},
});

const names = (mission: string) =>
  HAVE_FIXTURES
    ? readdirSync(join(FIXTURES, mission))
        .filter((n) => /\.(SAFE|SEN3|zip)$/.test(n))
        .map((n) => n.replace(/\.(SAFE|SEN3|zip)$/, ""))
    : [];

const newest = (...ids: string[]) =>
  ids
    .map((id) => ({ id, version: itemVersion(item(id)) as ItemVersion }))
    .sort(compareVersions)
    .at(-1)?.id;

describe.skipIf(!HAVE_FIXTURES)("acquisition keys of the fixture products", () => {
  it.each([...names("sentinel-1"), ...names("sentinel-2"), ...names("sentinel-3")])("%s has one", (name) => {
    expect(itemVersion(item(name))).toBeDefined();
  });

  it("no two different fixture acquisitions share a key", () => {
    const all = [...names("sentinel-1"), ...names("sentinel-2"), ...names("sentinel-3")];
    const keys = all.map((n) => itemVersion(item(n))!.key);
    expect(new Set(keys).size).toBe(all.length);
  });
});

describe("Sentinel-2", () => {
  const older = "S2A_MSIL2A_20230625T234621_N0500_R073_T01WCP_20230626T022157";
  const newer = "S2A_MSIL2A_20230625T234621_N0509_R073_T01WCP_20240101T101010";
  it("a newer baseline of the same tile and datatake is the same acquisition, and newer", () => {
    expect(itemVersion(item(older))!.key).toBe(itemVersion(item(newer))!.key);
    expect(newest(older, newer)).toBe(newer);
    expect(newest(newer, older)).toBe(newer);
  });
  it("within one baseline, the later generation wins", () => {
    const again = "S2A_MSIL2A_20230625T234621_N0500_R073_T01WCP_20230701T000000";
    expect(newest(again, older)).toBe(again);
  });
  it.each([
    ["another tile", "S2A_MSIL2A_20230625T234621_N0500_R073_T01WCQ_20230626T022157"],
    ["another level", "S2A_MSIL1C_20230625T234621_N0500_R073_T01WCP_20230626T022157"],
    ["another satellite", "S2B_MSIL2A_20230625T234621_N0500_R073_T01WCP_20230626T022157"],
    ["another orbit", "S2A_MSIL2A_20230625T234621_N0500_R074_T01WCP_20230626T022157"],
    ["another sensing time", "S2A_MSIL2A_20230625T234622_N0500_R073_T01WCP_20230626T022157"],
  ])("%s is not grouped", (_, other) => {
    expect(itemVersion(item(other))!.key).not.toBe(itemVersion(item(older))!.key);
  });
  it("another collection is not grouped", () => {
    expect(itemVersion(item(older, "a"))!.key).not.toBe(itemVersion(item(older, "b"))!.key);
  });
});

describe("Sentinel-1", () => {
  const a = "S1A_IW_GRDH_1SDV_20210809T173953_20210809T174018_039156_049F13_6FF8";
  const b = "S1A_IW_GRDH_1SDV_20210809T173953_20210809T174018_039156_049F13_A1B2";
  it("a product of the same acquisition with another unique id is a version, ranked by processing time", () => {
    const va = itemVersion(item(a, "s1", { "processing:datetime": "2021-08-09T20:19:58Z" }))!;
    const vb = itemVersion(item(b, "s1", { "processing:datetime": "2023-02-01T00:00:00Z" }))!;
    expect(va.key).toBe(vb.key);
    expect(compareVersions({ id: a, version: va }, { id: b, version: vb })).toBeLessThan(0);
  });
  it.each([
    ["another polarisation", "S1A_IW_GRDH_1SSV_20210809T173953_20210809T174018_039156_049F13_6FF8"],
    ["another type", "S1A_IW_SLC__1SDV_20210809T173953_20210809T174018_039156_049F13_6FF8"],
    ["the next slice", "S1A_IW_GRDH_1SDV_20210809T174018_20210809T174043_039156_049F13_1234"],
  ])("%s is not grouped", (_, other) => {
    expect(itemVersion(item(other))!.key).not.toBe(itemVersion(item(a))!.key);
  });
});

describe("Sentinel-3", () => {
  const nr = "S3A_OL_1_EFR____20211021T073827_20211021T074112_20211021T091357_0164_077_334_4320_LN1_O_NR_002";
  const nt = "S3A_OL_1_EFR____20211021T073827_20211021T074112_20211023T120000_0164_077_334_4320_LN1_O_NT_002";
  const rep =
    "S3A_OL_1_EFR____20211021T073827_20211021T074112_20240105T120000_0164_077_334_4320_MAR_O_NR_003";
  it("the NT product and a reprocessing with a newer baseline are versions of the NR one", () => {
    expect(new Set([nr, nt, rep].map((n) => itemVersion(item(n))!.key)).size).toBe(1);
    expect(newest(nr, nt)).toBe(nt);
    expect(newest(nt, rep, nr)).toBe(rep);
  });
  it.each([
    ["another product type", nr.replace("OL_1_EFR___", "OL_1_ERR___")],
    ["another frame", nr.replace("_4320_", "_4500_")],
    ["another start", nr.replace("20211021T073827", "20211021T074112")],
  ])("%s is not grouped", (_, other) => {
    expect(itemVersion(item(other))!.key).not.toBe(itemVersion(item(nr))!.key);
  });
});

describe("products without a trusted key", () => {
  it.each([
    ["an ERA5 month file", "era5-single-level-scalar-time"],
    ["a Landsat scene (its collection number is not read here)", "LC08_L2SP_047027_20201204_20210313_02_T1"],
    [
      "an S2 name of the old format",
      "S2A_OPER_PRD_MSIL1C_PDMC_20160101T000000_R000_V20151231T000000_20151231T000000",
    ],
    ["an API-written item", "my-item"],
  ])("%s has none", (_, id) => {
    expect(itemVersion(item(id))).toBeUndefined();
  });
});

describe("version links", () => {
  const chain = ["a", "b", "c"];
  const rels = (i: StacItem) => i.links.map((l) => `${l.rel} ${l.href}`);
  it("the oldest points at the latest and its successor, and is deprecated", () => {
    const a = withVersionLinks({ ...item("a"), links: [{ rel: "license", href: "x" }] }, chain);
    expect(rels(a)).toEqual(["license x", "latest-version ./c", "successor-version ./b"]);
    expect(a.properties["deprecated"]).toBe(true);
    expect(a.stac_extensions).toEqual([VERSION_EXTENSION]);
  });
  it("the middle one links both ways; the latest only back, and is not deprecated", () => {
    expect(rels(withVersionLinks(item("b"), chain))).toEqual([
      "latest-version ./c",
      "predecessor-version ./a",
      "successor-version ./c",
    ]);
    const c = withVersionLinks(withVersionLinks(item("c"), ["b", "c"]), chain);
    expect(rels(c)).toEqual(["predecessor-version ./b"]);
    expect(c.properties["deprecated"]).toBe(false);
    expect(c.stac_extensions).toEqual([VERSION_EXTENSION]);
  });
  it("an item alone is left as it is", () => {
    expect(withVersionLinks(item("a"), ["a"])).toEqual(item("a"));
  });
  it("the only version left loses its version links, deprecated and the extension", () => {
    const linked = withVersionLinks({ ...item("a"), links: [{ rel: "license", href: "x" }] }, ["a", "b"]);
    const alone = withVersionLinks(linked, ["a"]);
    expect(rels(alone)).toEqual(["license x"]);
    expect(alone.properties["deprecated"]).toBeUndefined();
    expect(alone.stac_extensions).toBeUndefined();
  });
  it("the chain is ordered by version, whatever the order of the items", () => {
    const s2 = (b: string) => item(`S2A_MSIL2A_20230625T234621_N${b}_R073_T01WCP_20230626T022157`);
    expect(versionChain([s2("0509"), s2("0400"), s2("0500")]).map((id) => id.slice(28, 32))).toEqual([
      "0400",
      "0500",
      "0509",
    ]);
  });
});
