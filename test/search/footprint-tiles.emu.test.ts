// Footprint tiles in a collection indexed partly before them: items that name no tile, indexed by
// older code with fine cell rows and medium group rows, and their revisits indexed since with the tile
// of their footprint, are all found, exactly as brute force finds them.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { COUNTED_ROWS_FEATURE, collectionKey } from "../../shared/index/keys.ts";
import { buildItemRows } from "../../shared/index/rows.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { Geometry, StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { olderRows } from "../support/older-rows.ts";
import { footprint } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

const item = (id: string, lon: number, lat: number, w: number, h: number, day: number): StacItem => ({
  type: "Feature",
  stac_version: "1.1.0",
  id,
  collection: "imported",
  geometry: footprint(lon, lat, w, h),
  properties: { datetime: new Date(Date.UTC(2024, 0, 1 + day)).toISOString(), "eo:cloud_cover": day % 50 },
  links: [],
  assets: {},
});

describe("footprint tiles next to rows written before them", () => {
  let stack: TestTable;
  const items: StacItem[] = [];
  beforeAll(async () => {
    stack = await startTestTable();
    await stack.catalogue.putCollection(testCollection("imported"));
    // Revisits of three tile-sized footprints and one scene-sized one, the first half of each indexed
    // the old way; and a few footprints that never repeat.
    const footprints: [number, number, number, number][] = [
      [14.5, 50.5, 1.5, 1],
      [15.9, 50.5, 1.5, 1],
      [15.2, 50.5, 0.5, 1],
      [15, 49.8, 3.5, 1.5],
    ];
    for (let day = 0; day < 40; day++) {
      const [lon, lat, w, h] = footprints[day % footprints.length]!;
      items.push(item(`r${day}`, lon + (day % 3) * 0.01, lat, w, h, day));
    }
    for (let i = 0; i < 6; i++)
      items.push(item(`u${i}`, 13 + i * 0.6, 49.5 + i * 0.3, 0.3 + i * 0.2, 0.4, 40 + i));
    for (const [i, it] of items.entries()) {
      const built = buildItemRows(it, "v1");
      const rows = i < 20 ? olderRows(it) : built.rows;
      await stack.catalogue.putItem(it, rows, built.record, "v1");
      await stack.catalogue.extendCollection("imported", built.summary);
    }
    // The code before footprint tiles wrote no base rows either: its collections carry its features.
    await stack.doc.send(
      new UpdateCommand({
        TableName: stack.table,
        Key: collectionKey("imported"),
        UpdateExpression: "SET ix = :ix",
        ExpressionAttributeValues: { ":ix": COUNTED_ROWS_FEATURE },
      }),
    );
  });
  afterAll(() => stack?.close());

  const search = async (body: Record<string, unknown>) => {
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const raw = { collections: ["imported"], limit: 7, ...body, ...(token ? { token } : {}) };
      const page = await searchItems(stack.catalogue, parseSearch(raw, { source: "body" }), UNRESTRICTED);
      ids.push(...page.items.map((i) => i.id));
      token = page.nextToken;
    } while (token);
    return ids.sort();
  };
  const bruteForce = (g: Geometry, cloudBelow = 101) =>
    items
      .filter((it) => intersects(it.geometry!, g) && Number(it.properties["eo:cloud_cover"]) < cloudBelow)
      .map((it) => it.id)
      .sort();

  it("gives the revisits indexed since one tile per footprint", () => {
    const tiles = new Set(
      items.slice(20, 40).map((it) => buildItemRows(it, "v1").rows.find((r) => r.tile)?.tile?.code),
    );
    expect(tiles.has(undefined)).toBe(false);
    expect(tiles.size).toBeLessThanOrEqual(6);
  });

  it("finds old and new rows' items alike, at points, in boxes and with a cloud bound", async () => {
    const points: [number, number][] = [
      [14.5, 50.5],
      [15.2, 50.5],
      [15.9, 50.6],
      [15, 49.8],
      [13.1, 49.5],
      [16, 51.2],
    ];
    for (const p of points) {
      const g: Geometry = { type: "Point", coordinates: p };
      if (points.indexOf(p) < 4) expect(bruteForce(g).length).toBeGreaterThan(5);
      expect(await search({ intersects: g }), `point ${p}`).toEqual(bruteForce(g));
    }
    const box: Geometry = footprint(15, 50.3, 0.6, 0.4);
    expect(await search({ intersects: box })).toEqual(bruteForce(box));
    expect(
      await search({ intersects: box, filter: "eo:cloud_cover < 30", "filter-lang": "cql2-text" }),
    ).toEqual(bruteForce(box, 30));
  });
});
