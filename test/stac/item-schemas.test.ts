// Write-time schema validation (shared/stac/item-schemas.ts): the vendored schemas are current copies of
// ../shared/stac-schemas and all compile offline; a failing item is named by field and schema; a schema
// the archive does not hold is accepted, reported as unvalidated.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { planVendoredSchemas, UPSTREAM, VENDORED } from "../../dev/vendor-schemas.ts";
import type { Logger } from "../../shared/log.ts";
import { requireItemSchemas } from "../../shared/stac/item-schemas.ts";
import { VENDORED_SCHEMAS } from "../../shared/stac/schemas/index.ts";
import type { StacItem } from "../../shared/stac/types.ts";

const EO = "https://stac-extensions.github.io/eo/v1.1.0/schema.json";
const fail = (field: string, why: string) => new Error(`${field} ${why}`);

const item = (over: Partial<StacItem> = {}, props: Record<string, unknown> = {}): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  stac_extensions: [EO],
  id: "flight-7",
  collection: "field-campaign",
  geometry: { type: "Point", coordinates: [14, 50] },
  bbox: [14, 50, 14, 50],
  properties: { datetime: "2025-06-01T10:00:00Z", "eo:cloud_cover": 12, ...props },
  links: [],
  assets: { data: { href: "s3://bucket/field-campaign/flight-7.tif", type: "image/tiff" } },
  ...over,
});

function recorder(): Logger & { warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  return { warnings, info() {}, error() {}, warn: (msg, fields) => warnings.push({ msg, ...fields }) };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listFiles(p) : [relative(VENDORED, p)];
  });
}

describe.skipIf(!existsSync(UPSTREAM))("the vendored schemas", () => {
  it("are exactly what `npm run schemas` writes from ../shared/stac-schemas (run it if this fails)", () => {
    const plan = planVendoredSchemas();
    expect(listFiles(VENDORED).sort()).toEqual([...plan.keys()].sort());
    for (const [path, body] of plan)
      expect(readFileSync(join(VENDORED, path)).equals(Buffer.from(body)), path).toBe(true);
  });
});
if (!existsSync(UPSTREAM)) console.warn(`vendored-schema freshness not checked: ${UPSTREAM} is missing`);

describe("write-time schema validation", () => {
  it("compiles every vendored item and extension schema with nothing but the vendored set", async () => {
    // ajv only warns on a format it does not know, and then lets any value pass it.
    const warn = vi.spyOn(console, "warn");
    const roots = Object.keys(VENDORED_SCHEMAS).filter((u) => /\/item\.json$|\/schema\.json$/.test(u));
    expect(roots.length).toBeGreaterThan(60);
    for (const url of roots) {
      const probe = item({ stac_extensions: [url] });
      // Validation may fail (the probe lacks the extension's fields); it must not fail to compile.
      try {
        await requireItemSchemas(probe, fail);
      } catch (e) {
        expect((e as Error).message, url).toMatch(/\(schema https:\/\//);
      }
    }
    expect(warn.mock.calls.filter((c) => /unknown format/.test(String(c[0])))).toEqual([]);
    warn.mockRestore();
  });

  it("passes a valid item and names the field and schema of an invalid one", async () => {
    expect(await requireItemSchemas(item(), fail)).toEqual([]);
    await expect(requireItemSchemas(item({}, { "eo:cloud_cover": "high" }), fail)).rejects.toThrow(
      `properties.eo:cloud_cover must be number (schema ${EO})`,
    );
    const sat = "https://stac-extensions.github.io/sat/v1.0.0/schema.json";
    await expect(
      requireItemSchemas(item({ stac_extensions: [sat] }, { "sat:orbit_state": "up" }), fail),
    ).rejects.toThrow(`properties.sat:orbit_state must be one of "ascending", "descending", "geostationary"`);
    const core = "https://schemas.stacspec.org/v1.1.0/item-spec/json-schema/item.json";
    await expect(
      requireItemSchemas(item({ assets: { data: { href: "s3://b/k", roles: "data" as never } } }), fail),
    ).rejects.toThrow(`assets.data.roles must be array (schema ${core})`);
    // Beside a null geometry STAC forbids a bbox: that is what is named, not the geometry.
    await expect(requireItemSchemas(item({ geometry: null }), fail)).rejects.toThrow(
      `bbox is not allowed (schema ${core})`,
    );
  });

  it("checks the item as served, with the collection link the API derives", async () => {
    const served = item({ links: [{ rel: "collection", href: "https://x/collections/field-campaign" }] });
    expect(await requireItemSchemas(served, fail)).toEqual([]);
    expect(await requireItemSchemas(item({ links: [] }), fail)).toEqual([]);
  });

  it("accepts a schema it does not hold, unvalidated and logged; refuses an unknown stac_version", async () => {
    const log = recorder();
    const custom = "https://example.org/drone/v1.0.0/schema.json";
    const usgs = "https://landsat.usgs.gov/stac/landsat-extension/v1.1.1/schema.json";
    const body = item({ stac_extensions: [EO, custom, usgs] }, { "drone:rotors": "four" });
    expect(await requireItemSchemas(body, fail, log)).toEqual([custom, usgs]);
    expect(log.warnings).toEqual([
      expect.objectContaining({ id: "flight-7", collection: "field-campaign", unvalidated: [custom, usgs] }),
    ]);
    // The schemas it does hold still apply.
    const bad = item({ stac_extensions: [custom, EO] }, { "eo:cloud_cover": -1 });
    await expect(requireItemSchemas(bad, fail, recorder())).rejects.toThrow(
      /^properties\.eo:cloud_cover .*\(schema .*eo\/v1\.1\.0/,
    );
    await expect(requireItemSchemas(item({ stac_version: "0.9.0" }), fail)).rejects.toThrow(
      /^stac_version '0\.9\.0' is not a STAC version this archive validates \(1\.0\.0, 1\.1\.0\)/,
    );
    expect(await requireItemSchemas(item({ stac_version: "1.0.0", links: [] }), fail)).toEqual([]);
  });
});
