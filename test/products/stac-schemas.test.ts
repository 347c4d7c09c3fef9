// Every item the readers make, from every fixture and from synthetic samples of every kind, validates
// (as served, with its links) against STAC 1.1 item.json and every schema in its stac_extensions, using
// the offline copies in ../shared/stac-schemas resolved by URL exactly as its SOURCES.md describes.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Ajv, type AnySchemaObject, type ValidateFunction } from "ajv";
import addFormatsModule, { type FormatsPlugin } from "ajv-formats";
import { describe, expect, it } from "vitest";
import {
  planLandsatScene,
  planSentinel1Product,
  planSentinel2Product,
  planSentinel3Product,
  type S3ProductType,
} from "../../dev/synthetic/index.ts";
import { presentItem } from "../../shared/api/present.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { fixtureCases } from "../geo/fixture-items.ts";
import { readBack } from "../support/read-back.ts";

const ROOT = resolve(import.meta.dirname, "../../../shared/stac-schemas");
const HAVE_SCHEMAS = existsSync(ROOT);
if (!HAVE_SCHEMAS) console.warn(`STAC schema validation skipped: ${ROOT} (offline schemas) is missing`);

// ajv-formats is CommonJS: under ESM its default export is the module object, holding the plugin.
const addFormats = ((addFormatsModule as unknown as { default?: FormatsPlugin }).default ??
  addFormatsModule) as FormatsPlugin;

function makeValidator() {
  const loadSchema = async (uri: string): Promise<AnySchemaObject> => {
    const u = new URL(uri);
    return JSON.parse(readFileSync(join(ROOT, u.host, u.pathname), "utf8")) as AnySchemaObject; // no network
  };
  const ajv = new Ajv({ allErrors: true, strict: false, loadSchema });
  addFormats(ajv);
  ajv.addFormat("iri", (s: string) => URL.canParse(s));
  ajv.addFormat("iri-reference", () => true);
  const compiled = new Map<string, Promise<ValidateFunction>>();
  const schema = (url: string) => {
    if (!compiled.has(url)) compiled.set(url, ajv.compileAsync({ $ref: url }));
    return compiled.get(url)!;
  };
  /** Each failing schema with its first errors, in words. */
  return async (item: StacItem): Promise<string[]> => {
    const urls = [
      `https://schemas.stacspec.org/v${item.stac_version}/item-spec/json-schema/item.json`,
      ...(item.stac_extensions ?? []),
    ];
    const out: string[] = [];
    for (const url of urls) {
      const validate = await schema(url);
      if (!validate(item))
        out.push(
          `${url}: ${(validate.errors ?? [])
            .slice(0, 3)
            .map((e) => `${e.instancePath} ${e.message}`)
            .join("; ")}`,
        );
    }
    return out;
  };
}

const S3_TYPES: S3ProductType[] = ["OL_1_EFR___", "OL_2_LFR___", "SL_1_RBT___", "SR_2_WAT___", "SY_2_SYN___"];
const samples: [string, () => Promise<StacItem>][] = [
  ["synthetic Sentinel-1 GRD", async () => (await readBack(planSentinel1Product())).item],
  [
    "synthetic Sentinel-1 SLC",
    async () => (await readBack(planSentinel1Product({ productType: "SLC" }))).item,
  ],
  [
    "synthetic Sentinel-2 L2A",
    async () => (await readBack({ ...planSentinel2Product(), contentType: "application/zip" })).item,
  ],
  [
    "synthetic Sentinel-2 L1C",
    async () =>
      (await readBack({ ...planSentinel2Product({ level: "L1C" }), contentType: "application/zip" })).item,
  ],
  ...S3_TYPES.map(
    (t) =>
      [
        `synthetic Sentinel-3 ${t}`,
        async () => (await readBack(planSentinel3Product({ productType: t }))).item,
      ] as [string, () => Promise<StacItem>],
  ),
  ["synthetic Landsat", async () => (await readBack(planLandsatScene())).item],
];

describe.skipIf(!HAVE_SCHEMAS)("items validate against STAC 1.1 and every extension they declare", () => {
  const validate = HAVE_SCHEMAS ? makeValidator() : undefined;
  const fixtures = fixtureCases().map((c) => [c.name, c.read] as [string, () => Promise<StacItem>]);
  it.each([...fixtures, ...samples])("%s", async (_name, read) => {
    const item = presentItem(await read(), "https://archive.example.test");
    expect(await validate!(item)).toEqual([]);
  });
});

describe.skipIf(!HAVE_SCHEMAS)("items served with proj:epsg beside proj:code", () => {
  const validate = HAVE_SCHEMAS ? makeValidator() : undefined;
  it("stay valid when they declare projection v2.0.0, which refuses proj:epsg", async () => {
    const stored: StacItem = {
      type: "Feature",
      stac_version: "1.1.0",
      stac_extensions: ["https://stac-extensions.github.io/projection/v2.0.0/schema.json"],
      id: "sidecar-v2",
      collection: "field-campaign",
      geometry: {
        type: "Polygon",
        coordinates: [
          [
            [10, 50],
            [11, 50],
            [11, 51],
            [10, 51],
            [10, 50],
          ],
        ],
      },
      bbox: [10, 50, 11, 51],
      properties: { datetime: "2024-05-14T10:00:00Z", "proj:code": "EPSG:32633" },
      links: [{ rel: "collection", href: "https://elsewhere.example/collections/field-campaign" }],
      assets: { data: { href: "s3://bucket/field-campaign/a.tif", type: "image/tiff", roles: ["data"] } },
    };
    expect(await validate!(stored)).toEqual([]);
    const served = presentItem(stored, "https://archive.example.test");
    expect(served.properties["proj:epsg"]).toBe(32633);
    expect(await validate!(served)).toEqual([]);
  });
});
