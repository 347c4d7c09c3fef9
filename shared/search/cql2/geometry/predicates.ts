// The eight OGC spatial predicates of CQL2, as DE-9IM patterns over `relate`.
import type { Geometry } from "../../../stac/types.ts";
import type { SpatialOp } from "../ast.ts";
import { dimension, type Parts, toParts } from "./parts.ts";
import { type Matrix, relate } from "./relate.ts";

const t = (d: number) => d >= 0;

function intersects(m: Matrix): boolean {
  return t(m.II) || t(m.IB) || t(m.BI) || t(m.BB);
}

function within(m: Matrix): boolean {
  return t(m.II) && !t(m.IE) && !t(m.BE);
}

function contains(m: Matrix): boolean {
  return t(m.II) && !t(m.EI) && !t(m.EB);
}

function crosses(m: Matrix, da: number, db: number): boolean {
  if (da === 1 && db === 1) return m.II === 0;
  if (da < db) return t(m.II) && t(m.IE);
  if (da > db) return t(m.II) && t(m.EI);
  return false;
}

function overlaps(m: Matrix, da: number, db: number): boolean {
  if (da !== db) return false;
  const interiors = da === 1 ? m.II === 1 : t(m.II);
  return interiors && t(m.IE) && t(m.EI);
}

function touches(m: Matrix, da: number, db: number): boolean {
  if (da === 0 && db === 0) return false;
  return !t(m.II) && (t(m.IB) || t(m.BI) || t(m.BB));
}

function equals(m: Matrix): boolean {
  return t(m.II) && !t(m.IE) && !t(m.BE) && !t(m.EI) && !t(m.EB);
}

export function spatialRelation(op: SpatialOp, ga: Geometry, gb: Geometry): boolean {
  const a: Parts = toParts(ga);
  const b: Parts = toParts(gb);
  const [da, db] = [dimension(a), dimension(b)];
  if (da < 0 || db < 0) return op === "s_disjoint";
  const m = relate(a, b);
  switch (op) {
    case "s_intersects":
      return intersects(m);
    case "s_disjoint":
      return !intersects(m);
    case "s_within":
      return within(m);
    case "s_contains":
      return contains(m);
    case "s_crosses":
      return crosses(m, da, db);
    case "s_overlaps":
      return overlaps(m, da, db);
    case "s_touches":
      return touches(m, da, db);
    case "s_equals":
      return equals(m);
  }
}
