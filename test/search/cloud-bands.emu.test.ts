// Cloud bands and skipped ranges (keys.ts CLOUD_BANDS, INDEX_FEATURES): a cloud-bounded search reads
// the tiles' band rows, which hold only the revisits under the band's bound; a search reads no range
// whose level and cell have no row counter. Results stay exact either way, and a collection indexed
// by older code (no bands, no `ix` on its record) is searched as before.
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UNRESTRICTED } from "../../shared/auth/authorize.ts";
import { searchProducts } from "../../shared/dhus/search.ts";
import { intersects } from "../../shared/geo/geometry.ts";
import { CLOUD_BANDS, cloudBandOfRow, collectionKey, INDEX_FEATURES } from "../../shared/index/keys.ts";
import { buildItemRows, summarize } from "../../shared/index/rows.ts";
import { parseSearch } from "../../shared/search/request.ts";
import { searchItems } from "../../shared/search/search.ts";
import type { StacItem } from "../../shared/stac/types.ts";
import { testCollection } from "../support/collections.ts";
import { footprint, rng } from "../support/random-items.ts";
import { startTestTable, type TestTable } from "../support/table.ts";

let stack: TestTable;
const items: StacItem[] = [];

/** A revisit of a 1° grid tile in Bohemia (some only a strip of it), or a small scene near Fiji. */
function revisit(r: () => number, i: number, collection: string): StacItem {
  const fiji = collection === "fiji";
  const [tx, ty] = fiji ? [177, -18] : [13 + (i % 4), 49 + ((i >> 2) % 2)];
  const strip = r() < 0.25;
  const cloud = r() < 0.7 ? Math.round(r() * 1000) / 10 : [0, 10, 30, 30.01, 100][i % 5]!;
  return {
    type: "Feature",
    stac_version: "1.1.0",
    id: `${collection}-${String(i).padStart(4, "0")}`,
    collection,
    geometry: footprint(tx + (strip ? 0.25 : 0.5), ty + 0.5, strip ? 0.5 : 1.05, 1.05),
    properties: {
      datetime: new Date(Date.UTC(2021, 0, 1) + Math.floor(r() * 365 * 86_400_000)).toISOString(),
      ...(fiji ? {} : { "grid:code": `TEST-${ty}_${tx}` }),
      "eo:cloud_cover": cloud,
    },
    links: [],
    assets: {},
  };
}

beforeAll(async () => {
  stack = await startTestTable();
  for (const id of ["bands", "old", "fiji"]) await stack.catalogue.putCollection(testCollection(id));
  const r = rng(77);
  for (let i = 0; i < 240; i++) {
    const item = revisit(r, i, "bands");
    // The same revisits in a collection indexed as older code did: no band rows.
    items.push(item, { ...item, collection: "old" }, revisit(r, i, "fiji"));
  }
  for (const item of items) {
    const built = buildItemRows(item, "v1");
    const rows =
      item.collection === "old" ? built.rows.filter((row) => cloudBandOfRow(row) === undefined) : built.rows;
    await stack.catalogue.putItem(item, rows, built.record, "v1");
    await stack.catalogue.extendCollection(item.collection!, built.summary);
  }
  await stack.doc.send(
    new UpdateCommand({
      TableName: stack.table,
      Key: collectionKey("old"),
      UpdateExpression: "REMOVE ix",
    }),
  );
}, 120_000);
afterAll(() => stack?.close());

/** Every page of a search: the ids, and the index rows and requests all pages took. */
async function search(body: Record<string, unknown>) {
  const ids: string[] = [];
  let rows = 0;
  let requests = 0;
  let token: string | undefined;
  do {
    const req = parseSearch({ limit: 5, ...body, ...(token ? { token } : {}) }, { source: "body" });
    const page = await searchItems(stack.catalogue, req, UNRESTRICTED);
    ids.push(...page.items.map((i) => i.id));
    rows += page.stats.rowsRead;
    requests += page.stats.requests;
    token = page.nextToken;
  } while (token);
  return { ids, rows, requests };
}

function bruteForce(collection: string, bbox: number[], max: number): string[] {
  const area = parseSearch({ bbox }, { source: "body" }).geometry!;
  return items
    .filter((it) => it.collection === collection && (it.properties["eo:cloud_cover"] as number) <= max)
    .filter((it) => intersects(summarize(it, "v1").geometry!, area))
    .map((it) => it.id)
    .sort();
}

const BOHEMIA = [13.2, 49.2, 16.8, 50.8];

describe("cloud bands", () => {
  it("give a tile item one row per band at or above its cloud cover, also on its footprint's tile", () => {
    const bandsOf = (cloud: unknown, tiled = true) => {
      const item = revisit(rng(1), 0, tiled ? "bands" : "fiji");
      item.properties["eo:cloud_cover"] = cloud;
      return buildItemRows(item, "v1")
        .rows.map(cloudBandOfRow)
        .filter((b) => b !== undefined);
    };
    expect(CLOUD_BANDS).toEqual([10, 30]);
    expect(bandsOf(0)).toEqual([10, 30]);
    expect(bandsOf(10)).toEqual([10, 30]);
    expect(bandsOf(10.5)).toEqual([30]);
    expect(bandsOf(30)).toEqual([30]);
    expect(bandsOf(30.01)).toEqual([]);
    expect(bandsOf(undefined)).toEqual([]);
    expect(bandsOf("5")).toEqual([]);
    // Naming no tile, it revisits its footprint's tile (issue #20), with the same bands.
    expect(bandsOf(5, false)).toEqual([10, 30]);
  });

  it("are recorded as a feature of collections indexed by this code only", async () => {
    expect((await stack.catalogue.getCollection("bands"))!.indexFeatures).toBe(INDEX_FEATURES);
    expect((await stack.catalogue.getCollection("old"))!.indexFeatures).toBeUndefined();
  });

  it.each([
    ["<", 10],
    ["<=", 10],
    ["<=", 0],
    ["<", 25],
    ["<=", 30],
    ["<=", 30.005],
  ] as const)("serve eo:cloud_cover %s %d exactly, reading fewer rows than tile rows do", async (op, max) => {
    const filter = { op, args: [{ property: "eo:cloud_cover" }, max] };
    const strict = (id: string, c: string) => {
      const it = items.find((x) => x.id === id && x.collection === c)!;
      const cc = it.properties["eo:cloud_cover"] as number;
      return op === "<" ? cc < max : cc <= max;
    };
    const banded = await search({ bbox: BOHEMIA, collections: ["bands"], filter });
    const old = await search({ bbox: BOHEMIA, collections: ["old"], filter });
    const want = bruteForce("bands", BOHEMIA, max).filter((id) => strict(id, "bands"));
    expect(want.length).toBeGreaterThan(0);
    expect([...banded.ids].sort()).toEqual(want);
    expect([...old.ids].sort()).toEqual(bruteForce("old", BOHEMIA, max).filter((id) => strict(id, "old")));
    // The old collection reads every revisit's tile row (or group rows); the band only those under it.
    expect(banded.rows).toBeLessThan(old.rows);
  });

  it("are not read for bounds above the widest band, which are still exact", async () => {
    const filter = { op: "<", args: [{ property: "eo:cloud_cover" }, 60] };
    const got = await search({ bbox: BOHEMIA, collections: ["bands"], filter });
    expect([...got.ids].sort()).toEqual(bruteForce("bands", BOHEMIA, 59.99999));
  });
});

describe("DHuS OpenSearch", () => {
  it("answers sentinelsat's cloudcoverpercentage=(0, 30) from the bands, with the exact total", async () => {
    const [w, so, e, n] = BOHEMIA;
    const page = await searchProducts(
      stack.catalogue,
      {
        q: `cloudcoverpercentage:[0 TO 30] footprint:"Intersects(POLYGON((${w} ${so},${e} ${so},${e} ${n},${w} ${n},${w} ${so})))"`,
        rows: 100,
        start: 0,
      },
      (c) => c === "bands",
    );
    expect(page.total).toBe(bruteForce("bands", BOHEMIA, 30).length);
    expect(page.items.every((i) => (i.item.properties["eo:cloud_cover"] as number) <= 30)).toBe(true);
  });
});

describe("ranges without row counters", () => {
  it("are not read: a collection with no rows in the area costs no request", async () => {
    const got = await search({ bbox: BOHEMIA, collections: ["fiji"] });
    expect(got.ids).toEqual([]);
    expect(got.requests).toBe(0);
    // Where it has rows it is read and found.
    const fiji = await search({ bbox: [176.5, -18.5, 178.5, -16.5], collections: ["fiji"] });
    expect(fiji.ids.length).toBe(240);
  });

  it("are read for a collection indexed by older code, which cannot tell", async () => {
    // Too large for tile footprints (whose boxes alone would rule the tiles out): cell ranges.
    const coralSea = [150, -30, 160, -20];
    const old = await search({ bbox: coralSea, collections: ["old"] });
    const banded = await search({ bbox: coralSea, collections: ["bands"] });
    expect([old.ids, banded.ids]).toEqual([[], []]);
    expect(old.requests).toBeGreaterThan(0);
    expect(banded.requests).toBe(0);
  });
});
