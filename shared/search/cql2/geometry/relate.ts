// The DE-9IM intersection matrix of two geometries, computed exactly enough for the OGC
// predicates: each geometry's linework is split ("noded") wherever it meets the other's, so every
// piece lies wholly inside, on or outside the other and one sample point per piece tells which.
// Areas add one interior point per polygon; what a boundary sample implies about nearby interior
// points fills in the rest (see `record`).
import { interiorPoint, type Located, type Location, locate } from "./locate.ts";
import { dimension, type Parts, segmentsOf, type XY } from "./parts.ts";
import { along, intersectSegments, samePoint } from "./segments.ts";

/** Dimension of each intersection, -1 when empty. Keys: row (a) then column (b), e.g. "IB". */
export type Matrix = Record<`${Location}${Location}`, number>;

interface Sample {
  p: XY;
  self: "I" | "B";
  /** Dimension of the piece this sample stands for (vertex 0, segment 1, interior 2). */
  piece: 0 | 1 | 2;
  /** Dimension of the part it belongs to. */
  part: 0 | 1 | 2;
}

type Segment = [XY, XY];

function nodedLine(
  line: XY[],
  other: Segment[],
  self: (p: XY) => "I" | "B",
  part: 1 | 2,
  out: Sample[],
): void {
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1]!, line[i]!];
    const cuts: XY[] = [a, b];
    for (const [c, d] of other) {
      for (const p of intersectSegments(a, b, c, d)) cuts.push(p);
    }
    cuts.sort((p, q) => along(p, a, b) - along(q, a, b));
    for (let j = 0; j < cuts.length; j++) {
      const p = cuts[j]!;
      out.push({ p, self: self(p), piece: 0, part });
      const q = cuts[j + 1];
      if (q !== undefined && !samePoint(p, q)) {
        const mid: XY = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
        out.push({ p: mid, self: part === 2 ? "B" : self(mid), piece: 1, part });
      }
    }
  }
}

function samples(g: Parts, other: Parts): Sample[] {
  const out: Sample[] = g.points.map((p) => ({ p, self: "I", piece: 0, part: 0 }));
  const otherSegments = segmentsOf(other);
  const lineSelf = (p: XY): "I" | "B" =>
    locate(p, { points: [], lines: g.lines, polygons: [] }).loc === "B" ? "B" : "I";
  for (const line of g.lines) nodedLine(line, otherSegments, lineSelf, 1, out);
  for (const rings of g.polygons) {
    for (const ring of rings) nodedLine(ring, otherSegments, () => "B", 2, out);
    const inner = interiorPoint(rings);
    if (inner !== null) out.push({ p: inner, self: "I", piece: 2, part: 2 });
  }
  return out;
}

function emptyMatrix(): Matrix {
  return { II: -1, IB: -1, IE: -1, BI: -1, BB: -1, BE: -1, EI: -1, EB: -1, EE: 2 };
}

/**
 * Records what one sample of g, located in the other geometry, proves. `set(row, col, dim)` is
 * oriented with g as the row geometry.
 */
function record(s: Sample, at: Located, set: (row: Location, col: Location, dim: number) => void): void {
  set(s.self, at.loc, at.loc === "E" ? s.piece : Math.min(s.piece, at.dim));
  // Lines and areas have interior arbitrarily close to each of their boundary points.
  if (s.self === "B" && s.part > 0 && at.loc === "E") set("I", "E", s.part);
  if (at.loc === "I" && at.dim === 2) {
    // Inside an area, the whole neighbourhood is that area's interior.
    set("I", "I", s.part);
    if (s.self === "B" || s.part < 2) set("E", "I", 2);
  }
  if (s.piece === 2 && at.loc === "B" && at.dim === 2) {
    // g's open interior straddles the other area's boundary.
    set("I", "I", 2);
    set("I", "E", 2);
  }
}

export function relate(a: Parts, b: Parts): Matrix {
  const m = emptyMatrix();
  const set = (key: `${Location}${Location}`, dim: number) => {
    if (dim > m[key]) m[key] = dim;
  };
  for (const s of samples(a, b)) record(s, locate(s.p, b), (r, c, d) => set(`${r}${c}`, d));
  for (const s of samples(b, a)) record(s, locate(s.p, a), (r, c, d) => set(`${c}${r}`, d));
  const [da, db] = [dimension(a), dimension(b)];
  // A lower-dimensional geometry can never cover the interior of a higher-dimensional one.
  if (da > db) set("IE", da);
  if (db > da) set("EI", db);
  return m;
}
