// GeoJSON geometries to and from ISO Well-Known Binary (little-endian; 2D, or 3D with the Z type codes),
// the encoding GeoParquet's `geometry` column holds. Coordinates are copied as doubles, so a geometry
// read back equals the one written.
import type { Geometry, Position } from "../stac/types.ts";

const CODES = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
} as const;
type GeometryType = keyof typeof CODES;
const NAMES = Object.fromEntries(Object.entries(CODES).map(([k, v]) => [v, k])) as Record<
  number,
  GeometryType
>;

/** Whether any position of the geometry has a Z value (then every position is written with one). */
export function hasZ(g: Geometry): boolean {
  if (g.type === "GeometryCollection") return g.geometries.some(hasZ);
  const first = (c: unknown): unknown => (Array.isArray(c) && Array.isArray(c[0]) ? first(c[0]) : c);
  const p = first(g.coordinates) as Position | undefined;
  return p !== undefined && p.length > 2;
}

class Out {
  private buf = new DataView(new ArrayBuffer(256));
  length = 0;
  private room(n: number) {
    if (this.length + n <= this.buf.byteLength) return;
    const next = new DataView(new ArrayBuffer(Math.max(this.buf.byteLength * 2, this.length + n)));
    new Uint8Array(next.buffer).set(new Uint8Array(this.buf.buffer, 0, this.length));
    this.buf = next;
  }
  u8(v: number) {
    this.room(1);
    this.buf.setUint8(this.length++, v);
  }
  u32(v: number) {
    this.room(4);
    this.buf.setUint32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number) {
    this.room(8);
    this.buf.setFloat64(this.length, v, true);
    this.length += 8;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.buf.buffer.slice(0, this.length));
  }
}

export function geometryToWkb(g: Geometry): Uint8Array {
  const out = new Out();
  write(out, g, hasZ(g));
  return out.bytes();
}

function write(out: Out, g: Geometry, z: boolean): void {
  out.u8(1);
  out.u32(CODES[g.type] + (z ? 1000 : 0));
  const pos = (p: Position) => {
    out.f64(p[0]);
    out.f64(p[1]);
    if (z) out.f64(p[2] ?? 0);
  };
  const line = (ps: Position[]) => {
    out.u32(ps.length);
    for (const p of ps) pos(p);
  };
  const polygon = (rings: Position[][]) => {
    out.u32(rings.length);
    for (const r of rings) line(r);
  };
  switch (g.type) {
    case "Point":
      pos(g.coordinates);
      return;
    case "LineString":
      line(g.coordinates);
      return;
    case "Polygon":
      polygon(g.coordinates);
      return;
    case "MultiPoint":
      out.u32(g.coordinates.length);
      for (const p of g.coordinates) write(out, { type: "Point", coordinates: p }, z);
      return;
    case "MultiLineString":
      out.u32(g.coordinates.length);
      for (const l of g.coordinates) write(out, { type: "LineString", coordinates: l }, z);
      return;
    case "MultiPolygon":
      out.u32(g.coordinates.length);
      for (const p of g.coordinates) write(out, { type: "Polygon", coordinates: p }, z);
      return;
    case "GeometryCollection":
      out.u32(g.geometries.length);
      for (const x of g.geometries) write(out, x, z);
      return;
  }
}

/** The geometry a WKB value holds (either byte order; ISO or EWKB-style Z flags). */
export function wkbToGeometry(bytes: Uint8Array): Geometry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const read = (): Geometry => {
    const le = view.getUint8(at) === 1;
    at += 1;
    const u32 = () => {
      const v = view.getUint32(at, le);
      at += 4;
      return v;
    };
    const raw = u32();
    const ewkbZ = (raw & 0x80000000) !== 0;
    const code = (raw & 0xffff) % 1000;
    const dims = Math.floor((raw & 0xffff) / 1000);
    const z = ewkbZ || dims === 1 || dims === 3;
    const m = dims === 2 || dims === 3 || (raw & 0x40000000) !== 0;
    const pos = (): Position => {
      const x = view.getFloat64(at, le);
      const y = view.getFloat64(at + 8, le);
      at += 16;
      let p: Position = [x, y];
      if (z) {
        p = [x, y, view.getFloat64(at, le)];
        at += 8;
      }
      if (m) at += 8; // measures have no place in GeoJSON
      return p;
    };
    const line = () => Array.from({ length: u32() }, pos);
    const type = NAMES[code];
    switch (type) {
      case "Point":
        return { type, coordinates: pos() };
      case "LineString":
        return { type, coordinates: line() };
      case "Polygon":
        return { type, coordinates: Array.from({ length: u32() }, line) };
      case "MultiPoint":
      case "MultiLineString":
      case "MultiPolygon": {
        const parts = Array.from({ length: u32() }, read);
        return {
          type,
          coordinates: parts.map((p) => (p as unknown as { coordinates: never }).coordinates),
        } as Geometry;
      }
      case "GeometryCollection":
        return { type, geometries: Array.from({ length: u32() }, read) };
      default:
        throw new RangeError(`WKB geometry type ${raw} is not supported`);
    }
  };
  return read();
}
