// What an export job writes of a collection and an item: what the API serves, less what belongs to the
// exporting catalogue (its own links, authentication hints, its monthly snapshot assets), as the CLI's
// export leaves them (shared/stac/exportable.ts is the one place both read).
import { describe, expect, it } from "vitest";
import {
  exportedCollection as cliCollection,
  exportedItem as cliItem,
} from "../../cli/commands/export-import.ts";
import { exportedCollection, exportedItem, type Presenters } from "../../shared/jobs/exported.ts";
import type { StacCollection, StacItem } from "../../shared/stac/types.ts";

const served: Presenters = { item: (i) => i, collection: (c) => c };

const collection = {
  type: "Collection",
  stac_version: "1.1.0",
  stac_extensions: ["https://stac-extensions.github.io/authentication/v1.1.0/schema.json"],
  id: "s2",
  description: "d",
  license: "other",
  extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
  "auth:schemes": { basic: { type: "http", scheme: "basic" } },
  links: [
    { rel: "self", href: "https://a/collections/s2" },
    { rel: "license", href: "https://example.org/licence" },
  ],
  assets: {
    "snapshot-2024-05": {
      href: "https://a/collections/s2/snapshots/2024-05",
      roles: ["data", "collection-mirror"],
    },
    "snapshot-notes": { href: "https://example.org/notes.pdf", roles: ["metadata"] },
    thumbnail: { href: "https://example.org/t.png", roles: ["thumbnail"] },
  },
} as unknown as StacCollection;

const item = {
  type: "Feature",
  stac_version: "1.1.0",
  id: "x",
  collection: "s2",
  geometry: null,
  properties: { datetime: "2024-05-01T00:00:00Z" },
  links: [
    { rel: "collection", href: "https://a/collections/s2" },
    { rel: "via", href: "https://esa.example/x" },
  ],
  assets: { product: { href: "https://a/p.zip?signature=abc&x=1", "auth:refs": ["basic"] } },
} as unknown as StacItem;

describe("an export job's collections and items", () => {
  it("leave out the exporting catalogue's links, auth hints and snapshot assets, and keep the rest", () => {
    const c = exportedCollection(served, collection, "https://a") as unknown as Record<string, unknown>;
    expect(c["links"]).toEqual([{ rel: "license", href: "https://example.org/licence" }]);
    expect(c["auth:schemes"]).toBeUndefined();
    expect(c["stac_extensions"]).toEqual([]);
    expect(Object.keys(c["assets"] as object).sort()).toEqual(["snapshot-notes", "thumbnail"]);
    const i = exportedItem(served, item, "https://a");
    expect(i.links).toEqual([{ rel: "via", href: "https://esa.example/x" }]);
    expect(i.assets["product"]).toEqual({ href: "https://a/p.zip?signature=abc&x=1" });
  });

  it("are what the CLI's export writes, but for the CLI dropping presigned signatures", () => {
    expect(cliCollection(collection as unknown as Record<string, unknown>)).toEqual(
      exportedCollection(served, collection, "https://a"),
    );
    const fromCli = cliItem(item as never) as unknown as StacItem;
    expect(fromCli.assets["product"]!.href).toBe("https://a/p.zip?x=1");
    expect({ ...fromCli, assets: {} }).toEqual({ ...exportedItem(served, item, "https://a"), assets: {} });
  });
});
