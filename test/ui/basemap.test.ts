// The offline basemap's land on a flat map: no ring jumps across the antimeridian (which would fill a
// band around the world), what crosses 180° shows at both edges, and Antarctica closes through the pole.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { MultiPolygon, Polygon } from "geojson";
import { feature } from "topojson-client";
import type { Topology } from "topojson-specification";
import { describe, expect, it } from "vitest";
import { planarLand, unwrapRing } from "../../web/src/basemap.ts";

const topo = JSON.parse(
  readFileSync(fileURLToPath(import.meta.resolve("world-atlas/land-110m.json")), "utf8"),
) as Topology;
const land = (
  feature(topo, topo.objects["land"]!) as unknown as { features: { geometry: Polygon | MultiPolygon }[] }
).features;

/** The widest step in longitude between neighbours, leaving out the edge along a pole that closes a ring. */
const maxJump = (ring: number[][]) =>
  Math.max(
    ...ring
      .slice(1)
      .map((p, i) =>
        Math.abs(p[1]!) === 90 && Math.abs(ring[i]![1]!) === 90 ? 0 : Math.abs(p[0]! - ring[i]![0]!),
      ),
  );

describe("planarLand", () => {
  it("unwraps a ring that crosses the antimeridian", () => {
    expect(
      unwrapRing([
        [179, 60],
        [-179, 60],
        [-179, 61],
        [179, 61],
        [179, 60],
      ]),
    ).toEqual([
      [179, 60],
      [181, 60],
      [181, 61],
      [179, 61],
      [179, 60],
    ]);
  });

  it("leaves no ring of the atlas jumping across the map, and repeats what crosses 180°", () => {
    const rawJumps = land.flatMap((f) =>
      (f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates).flat(),
    );
    // The atlas as shipped does jump (this is what drew bands around the world).
    expect(Math.max(...rawJumps.map(maxJump))).toBeGreaterThan(180);
    const drawn = land.map((f) => planarLand(f.geometry));
    const rings = drawn.flatMap((g) => g.coordinates.flat());
    expect(Math.max(...rings.map(maxJump))).toBeLessThanOrEqual(180);
    const polygons = drawn.flatMap((g) => g.coordinates);
    const reaches = (test: (lng: number) => boolean) =>
      polygons.filter((p) => p[0]!.some(([lng]) => test(lng!))).length;
    // Chukotka and Fiji reach past +180 and, repeated, past -180.
    expect(reaches((lng) => lng > 180)).toBeGreaterThan(0);
    expect(reaches((lng) => lng < -180)).toBeGreaterThan(0);
  });

  it("closes Antarctica through the south pole", () => {
    const rings = land.flatMap((f) => planarLand(f.geometry).coordinates.flat());
    const south = rings.filter((r) => r.some(([, lat]) => lat === -90));
    expect(south.length).toBeGreaterThan(0);
    for (const r of south) expect(r[0]).toEqual(r[r.length - 1]);
  });
});
