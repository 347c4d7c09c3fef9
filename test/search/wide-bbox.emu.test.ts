// A bbox's edges follow its parallels however wide it is: boxes wider than 180° of longitude (a map
// view zoomed out, the whole globe, a box that crosses 180° and wraps most of the way round) find what
// a lon/lat rectangle holds, not its complement across the antimeridian.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StacItem } from "../../shared/stac/types.ts";
import { allPages, makeCollection, makeItem, seed } from "../api/seed.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
const C = "grid";
/** 1° squares every 20° of longitude and 30° of latitude, away from the antimeridian. */
const ITEMS: StacItem[] = [];
for (let lon = -170; lon <= 170; lon += 20)
  for (let lat = -60; lat <= 60; lat += 30)
    ITEMS.push(makeItem({ id: `p${lon}_${lat}`, collection: C, datetime: "2024-05-01T10:00:00Z", lon, lat }));

beforeAll(async () => {
  app = await startTestApp();
  await seed(app, [makeCollection(C, "Grid", "test grid", [])], ITEMS);
});
afterAll(() => app?.close());

/** What a lon/lat rectangle holds: the items whose 1° square overlaps it (west > east crosses 180°). */
function expected([w, s, e, n]: number[]): string[] {
  const lonIn = (lo: number, hi: number) => (w! <= e! ? hi >= w! && lo <= e! : hi >= w! || lo <= e!);
  return ITEMS.filter((i) => {
    const ring = (i.geometry as { coordinates: number[][][] }).coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    return lonIn(Math.min(...xs), Math.max(...xs)) && Math.max(...ys) >= s! && Math.min(...ys) <= n!;
  })
    .map((i) => i.id)
    .sort();
}

async function found(bbox: number[], via: "GET" | "POST"): Promise<string[]> {
  const first =
    via === "GET"
      ? await app.get(`/search?limit=100&bbox=${bbox.join(",")}`)
      : await app.post("/search", { limit: 100, bbox });
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  return (await allPages(app, first)).flatMap((p) => p.features.map((f) => f.id)).sort();
}

describe("bbox wider than 180° of longitude", () => {
  const boxes = [
    [-100, -50, 100, 70],
    [-180, -90, 180, 90],
    [-179, -70, 179, 70],
    [-10, -45, 175, 45],
    [100, -50, -100, 70],
    [-170, 0, -175, 61],
    [-175, -61, -176, 0],
  ];
  for (const bbox of boxes)
    it(`bbox=${bbox.join(",")} finds what the rectangle holds`, async () => {
      const want = expected(bbox);
      expect(want.length).toBeGreaterThan(0);
      expect(await found(bbox, "GET")).toEqual(want);
      expect(await found(bbox, "POST")).toEqual(want);
    });
});
