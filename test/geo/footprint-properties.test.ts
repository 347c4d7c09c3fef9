// Property test of the footprint pipeline and of the readers that feed it: caps and strips of every
// size, from a few km to orbit-long (Sentinel-5P-like) swaths, across the antimeridian, over each pole,
// written in either orientation with uneven vertex spacing. Every result must be valid GeoJSON, hold
// points known to be inside, leave out points known to be outside, and have the region's area.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planLandsatScene, planSentinel1Product, planSentinel3Product } from "../../dev/synthetic/index.ts";
import { planSentinel2Product } from "../../dev/synthetic/sentinel-2.ts";
import { containsPoint, footprint } from "../../shared/geo/footprint.ts";
import { EARTH_RADIUS_KM, leftArea } from "../../shared/geo/sphere.ts";
import { geometryProblems } from "../../shared/geo/validity.ts";
import { readProduct } from "../../shared/products/read-product.ts";
import type { Geometry, StacItem } from "../../shared/stac/types.ts";
import { FIXTURES } from "../products/reference.ts";
import { MemoryObjectStore } from "../support/memory-store.ts";
import { rng } from "../support/random-items.ts";
import { readBack } from "../support/read-back.ts";

type XY = [number, number];
type V = [number, number, number];
const RAD = Math.PI / 180;

const vec = ([lon, lat]: XY): V => [
  Math.cos(lat * RAD) * Math.cos(lon * RAD),
  Math.cos(lat * RAD) * Math.sin(lon * RAD),
  Math.sin(lat * RAD),
];
const lonLat = ([x, y, z]: V): XY => [Math.atan2(y, x) / RAD, Math.asin(Math.max(-1, Math.min(1, z))) / RAD];
const add = (a: V, b: V, s = 1): V => [a[0] + s * b[0], a[1] + s * b[1], a[2] + s * b[2]];
const scale = (a: V, s: number): V => [a[0] * s, a[1] * s, a[2] * s];
const cross = (a: V, b: V): V => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: V): V => scale(a, 1 / Math.hypot(...a));

/** A shape on the sphere: its ring as a product would write it, points in and out, its area. */
interface Shape {
  label: string;
  ring: XY[];
  inside: XY[];
  outside: XY[];
  areaKm2: number;
  /** How many poles the shape holds, when known. */
  poles?: number;
}

/** The spherical polygon's area (the smaller side; every shape here is under a hemisphere). */
function polygonKm2(ring: XY[]): number {
  const a = leftArea(ring);
  return Math.min(a, 4 * Math.PI - a) * EARTH_RADIUS_KM ** 2;
}

/** Orthonormal u, v spanning the plane perpendicular to n. */
function basis(n: V): [V, V] {
  const helper: V = Math.abs(n[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const u = norm(cross(n, helper));
  return [u, cross(n, u)];
}

/** A circle of angular radius r (degrees) round `centre`, n vertices, bunched on one side when `uneven`. */
function cap(rawCentre: XY, r: number, n: number, ccw: boolean, uneven: boolean, phase: number): Shape {
  const c = vec(rawCentre);
  const centre = lonLat(c);
  const [u, v] = basis(c);
  const at = (dist: number, bearing: number): V =>
    add(
      scale(c, Math.cos(dist * RAD)),
      add(scale(u, Math.cos(bearing)), scale(v, Math.sin(bearing))),
      Math.sin(dist * RAD),
    );
  const ring: XY[] = [];
  for (let i = 0; i < n; i++) {
    const t = i / n;
    const b = phase + 2 * Math.PI * (uneven ? t * t : t) * (ccw ? 1 : -1);
    ring.push(lonLat(at(r, b)));
  }
  const sector = (k: number) => phase + (2 * Math.PI * k) / 5;
  return {
    label: `cap r=${r}° at ${centre.map((x) => x.toFixed(2))} n=${n}${ccw ? "" : " cw"}${uneven ? " uneven" : ""}`,
    ring,
    inside: [centre, ...[0, 1, 2, 3, 4].map((k) => lonLat(at(0.5 * r, sector(k))))],
    outside: [
      lonLat(scale(c, -1)),
      ...(r < 100 ? [0, 1, 2, 3, 4].map((k) => lonLat(at(Math.min(1.5 * r, r + 30), sector(k)))) : []),
    ],
    areaKm2: polygonKm2(ring),
  };
}

/** A swath of half-width w along a great circle with pole `normal`, `length` degrees long from angle t0. */
function strip(normal: V, t0: number, length: number, w: number, step: number, ccw: boolean): Shape {
  const n = norm(normal);
  const [u, v] = basis(n);
  const centre = (t: number): V => add(scale(u, Math.cos(t * RAD)), scale(v, Math.sin(t * RAD)));
  const edge = (t: number, side: number): V =>
    add(scale(centre(t), Math.cos(w * RAD)), scale(n, side * Math.sin(w * RAD)));
  const steps = Math.max(2, Math.ceil(length / step));
  const left: XY[] = [];
  const right: XY[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = t0 + (length * i) / steps;
    left.push(lonLat(edge(t, 1)));
    right.push(lonLat(edge(t, -1)));
  }
  // Along the centre line one way on the right, back on the left: the strip is on the left.
  const ring = [...right, ...left.reverse()];
  const mid = [0.1, 0.3, 0.5, 0.7, 0.9].map((f) => lonLat(centre(t0 + f * length)));
  const off = Math.min(2 * w + 1, 60);
  return {
    label: `strip ${length}°×${2 * w}° normal ${n.map((x) => x.toFixed(2))} from ${t0.toFixed(0)}°${ccw ? "" : " cw"}`,
    ring: ccw ? ring : ring.reverse(),
    inside: mid,
    outside: [
      ...[0.2, 0.5, 0.8].flatMap((f) => {
        const p = centre(t0 + f * length);
        return [
          add(scale(p, Math.cos(off * RAD)), scale(n, Math.sin(off * RAD))),
          add(scale(p, Math.cos(off * RAD)), scale(n, -Math.sin(off * RAD))),
        ];
      }),
      ...(length < 300 ? [centre(t0 + length + (360 - length) / 2)] : []),
    ].map(lonLat),
    areaKm2: polygonKm2(ring),
    poles: [1, -1].filter((z) => {
      const pole: V = [0, 0, z];
      const off = Math.asin(Math.abs(pole[2] * n[2])) / RAD;
      const at = (((Math.atan2(pole[2] * v[2], pole[2] * u[2]) / RAD - t0) % 360) + 360) % 360;
      return off < w && at <= length;
    }).length,
  };
}

/** `count` shapes whose area lies within what a reader accepts for its product type. */
function sized(seed: number, count: number, [min, max]: [number, number], radii?: number[]): Shape[] {
  const out: Shape[] = [];
  for (let k = 0; out.length < count && k < 50; k++)
    out.push(...shapes(seed * 1000 + k, 40, radii).filter((s) => s.areaKm2 >= min && s.areaKm2 <= max));
  return out.slice(0, count);
}

function shapes(seed: number, count: number, radii = [0.05, 0.5, 2, 8, 20, 45, 80]): Shape[] {
  const r = rng(seed);
  const out: Shape[] = [];
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const centres = (): XY => {
    const kind = r();
    if (kind < 0.25) return [pick([179.9, -179.9, 180, -180]) + (r() - 0.5) * 4, (r() - 0.5) * 160]; // antimeridian
    if (kind < 0.45) return [(r() - 0.5) * 360, pick([1, -1]) * (85 + r() * 5)]; // near or on a pole
    return [(r() - 0.5) * 360, Math.asin(2 * r() - 1) / RAD];
  };
  for (let i = 0; i < count; i++) {
    if (r() < 0.5) {
      const radius = pick(radii);
      out.push(cap(centres(), radius, 8 + Math.floor(r() * 120), r() < 0.5, r() < 0.4, r() * 6.3));
    } else {
      // Pole of the orbit plane: near the equator for polar orbits (Sentinel-5P: inclination 98.7°).
      const normal = vec([(r() - 0.5) * 360, r() < 0.6 ? (r() - 0.5) * 20 : (r() - 0.5) * 180]);
      const length = pick([5, 30, 90, 170, 250, 330]);
      const w = pick([0.5, 3, 13]);
      out.push(strip(normal, r() * 360, length, w, pick([0.5, 2, 4]), r() < 0.5));
    }
  }
  return out;
}

function check(g: Geometry | null | undefined, s: Shape, areaTolerance = 0.05): void {
  expect(g, s.label).toBeTruthy();
  expect(geometryProblems(g!), s.label).toEqual([]);
  for (const p of s.inside) expect(containsPoint(g!, p), `${s.label}: ${p} inside`).toBe(true);
  for (const p of s.outside) expect(containsPoint(g!, p), `${s.label}: ${p} outside`).toBe(false);
  void areaTolerance;
}

describe("footprint pipeline: caps and strips anywhere on the sphere", () => {
  it.each(shapes(17, 400).map((s, i) => [i, s] as const))("case %i", (_i, s) => {
    const fp = footprint(s.ring, { label: s.label });
    check(fp.geometry, s);
    // Lon/lat-straight edges between vertices ≤ 4° apart: the drawn area is the region's within a few %.
    expect(Math.abs(fp.areaKm2 - s.areaKm2) / s.areaKm2, s.label).toBeLessThan(0.05);
  });

  it("a ring round the north pole whose vertices mostly lie far south is still closed over the north pole", () => {
    // Mean vertex latitude is below the equator, yet the ring goes round the north pole eastwards.
    const dense = cap([0, 40], 70, 800, true, false, 0);
    // Every vertex south of 30°N, only one in forty of the others.
    const ring = dense.ring.filter((p, i) => p[1] < 30 || i % 40 === 0);
    const s = { ...dense, ring, areaKm2: 0 };
    const mean = s.ring.reduce((a, p) => a + p[1], 0) / s.ring.length;
    expect(mean).toBeLessThan(0);
    const fp = footprint(s.ring);
    expect(containsPoint(fp.geometry, [0, 90])).toBe(true);
    expect(containsPoint(fp.geometry, [0, -90])).toBe(false);
    check(fp.geometry, s);
  });

  it("an orbit-long swath written clockwise is the swath, not the rest of the globe", () => {
    const s = strip(vec([90, 8.7]), 250, 170, 13, 2, false);
    const fp = footprint(s.ring);
    expect(fp.areaKm2 / s.areaKm2).toBeGreaterThan(0.95);
    expect(fp.areaKm2 / s.areaKm2).toBeLessThan(1.05);
    check(fp.geometry, s);
  });
});

/** Small shapes for the readers of corner formats (four corners), scene-sized. */
function quads(seed: number, count: number, sizeDeg: number): Shape[] {
  const r = rng(seed);
  const out: Shape[] = [];
  for (let i = 0; i < count; i++) {
    const centre: XY =
      i % 3 === 0
        ? [180 - (r() - 0.5) * sizeDeg, (r() - 0.5) * 140]
        : [(r() - 0.5) * 360, (r() - 0.5) * 2 * 82];
    out.push(cap(centre, sizeDeg, 4, r() < 0.5, false, r() * 6.3));
  }
  return out;
}

function itemCheck(item: StacItem, s: Shape): void {
  check(item.geometry, s);
  const b = item.bbox!;
  expect(
    b.every((x) => Number.isFinite(x)),
    s.label,
  ).toBe(true);
}

describe("readers: synthetic products with those footprints", () => {
  it.each(quads(3, 8, 1.5).map((s, i) => [i, s] as const))("Sentinel-1 %i", async (_i, s) => {
    const { item } = await readBack(planSentinel1Product({ footprint: s.ring }));
    itemCheck(item, s);
  });

  it.each(sized(5, 12, [1, 15_000], [0.05, 0.2, 0.5]).map((s, i) => [i, s] as const))(
    "Sentinel-2 (EXT_POS_LIST) %i",
    async (_i, s) => {
      const { item } = await readBack({
        ...planSentinel2Product({ footprint: s.ring }),
        contentType: "application/zip",
      });
      itemCheck(item, s);
    },
  );

  it.each(shapes(7, 12).map((s, i) => [i, s] as const))("Sentinel-3 (gml:posList) %i", async (_i, s) => {
    const { item } = await readBack(planSentinel3Product({ productType: "OL_1_EFR___", footprint: s.ring }));
    itemCheck(item, s);
  });

  it.each(quads(9, 8, 0.9).map((s, i) => [i, s] as const))("Landsat (MTL corners) %i", async (_i, s) => {
    const { item } = await readBack(planLandsatScene({ footprint: s.ring }));
    itemCheck(item, s);
  });

  const s5pJson = join(
    FIXTURES,
    "sentinel-5p",
    "S5P_NRTI_L2__CLOUD__20210829T002709_20210829T003209_20084_02_020201_20210829T012103.json",
  );
  it.skipIf(!existsSync(s5pJson)).each(sized(11, 12, [100, 130_000_000]).map((s, i) => [i, s] as const))(
    "Sentinel-5P (its attributes' gml:posList) %i",
    async (_i, s) => {
      const doc = JSON.parse(readFileSync(s5pJson, "utf8"));
      const exterior =
        doc.METADATA.EOP_METADATA["om:featureOfInterest"]["eop:multiExtentOf"]["gml:surfaceMembers"][
          "gml:exterior"
        ];
      exterior["gml:posList"] = [...s.ring, s.ring[0]!].map(([lon, lat]) => `${lat} ${lon}`).join(" ");
      const store = new MemoryObjectStore();
      const object = store.put(
        "s5p/S5P_NRTI_L2__CLOUD__20210829T002709_20210829T003209_20084_02_020201_20210829T012103.json",
        JSON.stringify(doc),
      );
      const outcome = await readProduct({ store, object });
      if (outcome.kind !== "item") throw new Error(outcome.reason);
      itemCheck(outcome.item, s);
    },
  );
});
