// Encodes one GRIB 1 or 2 message's sections, following the WMO Manual on Codes (FM 92 GRIB), so that
// tests and the benchmark can build files of any length without holding their data: a message comes
// out as header bytes, a run of zero data bytes (a constant field) and the "7777" trailer.

export type GribGrid =
  /** Regular lat/lon, degrees; scanning west→east from lo1, north→south from la1 unless la1 < la2. */
  | { type: "regular_ll"; la1: number; lo1: number; la2: number; lo2: number; di: number; dj: number }
  /** Regular Gaussian with N parallels between a pole and the equator, global unless lo1/lo2 given. */
  | { type: "regular_gg"; n: number; lo1?: number; lo2?: number }
  /** Reduced Gaussian (ERA5's native grid is N320): points per parallel fall towards the poles. */
  | { type: "reduced_gg"; n: number };

export interface GribMessageSpec {
  edition: 1 | 2;
  /** Reference time (UTC), whole minutes. */
  time: string | Date;
  stepHours?: number;
  centre?: number;
  /** GRIB1 table 2 parameter (ECMWF table 128), or GRIB2 parameter number in category 0. */
  param?: number;
  grid: GribGrid;
  /** Packed data width; 0 makes a constant field with no data bytes (a very short message). */
  bitsPerValue?: number;
}

export interface EncodedMessage {
  head: Uint8Array;
  zeros: number;
  tail: Uint8Array;
  length: number;
}

const TRAILER = new Uint8Array([0x37, 0x37, 0x37, 0x37]);

/** The first Gaussian latitude (nearest the north pole) of an N grid: the largest root of P_2N. */
export function gaussianFirstLatitude(n: number): number {
  const degree = 2 * n;
  let x = Math.cos((Math.PI * 0.75) / (degree + 0.5)); // classic first guess for the largest root
  for (let i = 0; i < 100; i++) {
    let p0 = 1;
    let p1 = x;
    for (let k = 2; k <= degree; k++) [p0, p1] = [p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k];
    const dp = (degree * (x * p1 - p0)) / (x * x - 1);
    const dx = p1 / dp;
    x -= dx;
    if (Math.abs(dx) < 1e-15) break;
  }
  return (Math.asin(x) * 180) / Math.PI;
}

interface Geometry {
  la1: number;
  lo1: number;
  la2: number;
  lo2: number;
  ni: number | undefined;
  nj: number;
  di: number | undefined;
  /** Dj for lat/lon, N for Gaussian grids. */
  djOrN: number;
  gaussian: boolean;
  pl: number[] | undefined;
  points: number;
}

function geometry(grid: GribGrid): Geometry {
  if (grid.type === "regular_ll") {
    const ni = Math.round(((((grid.lo2 - grid.lo1) % 360) + 360) % 360) / grid.di) + 1;
    const nj = Math.round(Math.abs(grid.la1 - grid.la2) / grid.dj) + 1;
    return { ...grid, ni, nj, djOrN: grid.dj, gaussian: false, pl: undefined, points: ni * nj };
  }
  const first = gaussianFirstLatitude(grid.n);
  if (grid.type === "regular_gg") {
    const di = 90 / grid.n;
    const lo1 = grid.lo1 ?? 0;
    const lo2 = grid.lo2 ?? 360 - di;
    const ni = Math.round((lo2 - lo1) / di) + 1;
    const nj = 2 * grid.n;
    return {
      la1: first,
      lo1,
      la2: -first,
      lo2,
      ni,
      nj,
      di,
      djOrN: grid.n,
      gaussian: true,
      pl: undefined,
      points: ni * nj,
    };
  }
  // Points per parallel: 4N at the equator, falling with the cosine of the latitude (at least 20).
  const pl: number[] = [];
  for (let i = 0; i < 2 * grid.n; i++) {
    const lat = 90 - ((i + 0.5) * 90) / grid.n;
    pl.push(Math.max(20, 4 * Math.round(grid.n * Math.cos((lat * Math.PI) / 180))));
  }
  const most = Math.max(...pl);
  return {
    la1: first,
    lo1: 0,
    la2: -first,
    lo2: 360 - 360 / most,
    ni: undefined,
    nj: 2 * grid.n,
    di: undefined,
    djOrN: grid.n,
    gaussian: true,
    pl,
    points: pl.reduce((a, b) => a + b, 0),
  };
}

class Bytes {
  private readonly out: number[] = [];
  get length(): number {
    return this.out.length;
  }
  u(value: number, bytes: number): this {
    for (let i = bytes - 1; i >= 0; i--) this.out.push(Math.floor(value / 2 ** (8 * i)) & 0xff);
    return this;
  }
  /** Sign and magnitude, as GRIB writes signed integers. */
  s(value: number, bytes: number): this {
    const v = Math.round(value);
    return this.u(v < 0 ? 2 ** (8 * bytes - 1) - v : v, bytes);
  }
  ascii(text: string): this {
    for (const c of text) this.out.push(c.charCodeAt(0));
    return this;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export function encodeGribMessage(spec: GribMessageSpec): EncodedMessage {
  const g = geometry(spec.grid);
  const bits = spec.bitsPerValue ?? 16;
  const dataBytes = Math.ceil((g.points * bits) / 8);
  const t = new Date(spec.time);
  if (Number.isNaN(t.getTime())) throw new Error(`invalid GRIB reference time: ${String(spec.time)}`);
  return spec.edition === 1 ? grib1(spec, g, t, bits, dataBytes) : grib2(spec, g, t, bits, dataBytes);
}

function grib1(spec: GribMessageSpec, g: Geometry, t: Date, bits: number, dataBytes: number): EncodedMessage {
  const b = new Bytes().ascii("GRIB").u(0, 3).u(1, 1);
  const year = t.getUTCFullYear();
  const yy = year % 100 === 0 ? 100 : year % 100;
  const century = Math.floor((year - 1) / 100) + 1;
  // PDS, 28 octets: table 128, centre, process 128, grid 255 (GDS follows), GDS present, parameter,
  // surface level, the reference time, step in hours with time range indicator 0.
  b.u(28, 3)
    .u(128, 1)
    .u(spec.centre ?? 98, 1)
    .u(128, 1)
    .u(255, 1)
    .u(0x80, 1)
    .u(spec.param ?? 167, 1);
  b.u(1, 1)
    .u(0, 2)
    .u(yy, 1)
    .u(t.getUTCMonth() + 1, 1)
    .u(t.getUTCDate(), 1)
    .u(t.getUTCHours(), 1);
  b.u(t.getUTCMinutes(), 1)
    .u(1, 1)
    .u(spec.stepHours ?? 0, 1)
    .u(0, 1)
    .u(0, 1)
    .u(0, 2)
    .u(0, 1);
  b.u(century, 1).u(0, 1).u(0, 2);
  // GDS: 32 octets (+ the points per parallel of a reduced grid, which start at octet 33).
  const milli = (v: number) => Math.round(v * 1000);
  b.u(32 + (g.pl ? 2 * g.pl.length : 0), 3)
    .u(0, 1)
    .u(g.pl ? 33 : 255, 1)
    .u(g.gaussian ? 4 : 0, 1);
  b.u(g.ni ?? 0xffff, 2)
    .u(g.nj, 2)
    .s(milli(g.la1), 3)
    .s(milli(g.lo1), 3)
    .u(g.di === undefined ? 0 : 0x80, 1);
  b.s(milli(g.la2), 3)
    .s(milli(g.lo2), 3)
    .u(g.di === undefined ? 0xffff : milli(g.di), 2);
  b.u(g.gaussian ? g.djOrN : milli(g.djOrN), 2)
    .u(g.la1 < g.la2 ? 0x40 : 0, 1)
    .u(0, 4);
  for (const n of g.pl ?? []) b.u(n, 2);
  // BDS: grid point, simple packing, reference value 0; sections have an even length.
  const bdsLength = 11 + dataBytes + ((11 + dataBytes) % 2);
  const unused = 8 * (bdsLength - 11) - g.points * bits;
  b.u(bdsLength, 3).u(unused, 1).u(0, 2).u(0, 4).u(bits, 1);
  const head = b.bytes();
  const zeros = bdsLength - 11;
  const length = head.length + zeros + TRAILER.length;
  if (length >= 2 ** 23) throw new Error(`GRIB1 message of ${length} bytes is beyond the 24-bit length`);
  head.set([(length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff], 4);
  return { head, zeros, tail: TRAILER, length };
}

function grib2(spec: GribMessageSpec, g: Geometry, t: Date, bits: number, dataBytes: number): EncodedMessage {
  const b = new Bytes().ascii("GRIB").u(0xffff, 2).u(0, 1).u(2, 1).u(0, 8);
  // Section 1: centre, sub-centre, tables 5/0, reference time = start of forecast, operational, analysis.
  b.u(21, 4)
    .u(1, 1)
    .u(spec.centre ?? 98, 2)
    .u(0, 2)
    .u(5, 1)
    .u(0, 1)
    .u(1, 1);
  b.u(t.getUTCFullYear(), 2)
    .u(t.getUTCMonth() + 1, 1)
    .u(t.getUTCDate(), 1)
    .u(t.getUTCHours(), 1);
  b.u(t.getUTCMinutes(), 1).u(t.getUTCSeconds(), 1).u(0, 1).u(2, 1);
  // Section 3: template 3.0 (lat/lon) or 3.40 (Gaussian); a reduced grid lists its points per parallel.
  const micro = (v: number) => Math.round(v * 1e6);
  const missing = 0xffffffff;
  b.u(72 + (g.pl ? 2 * g.pl.length : 0), 4)
    .u(3, 1)
    .u(0, 1)
    .u(g.points, 4)
    .u(g.pl ? 2 : 0, 1)
    .u(g.pl ? 1 : 0, 1);
  b.u(g.gaussian ? 40 : 0, 2)
    .u(6, 1)
    .u(0xff, 1)
    .u(missing, 4)
    .u(0xff, 1)
    .u(missing, 4)
    .u(0xff, 1)
    .u(missing, 4);
  b.u(g.ni ?? missing, 4)
    .u(g.nj, 4)
    .u(0, 4)
    .u(missing, 4)
    .s(micro(g.la1), 4)
    .s(micro(g.lo1), 4);
  b.u(g.di === undefined ? 0 : 0x30, 1)
    .s(micro(g.la2), 4)
    .s(micro(g.lo2), 4);
  b.u(g.di === undefined ? missing : micro(g.di), 4).u(g.gaussian ? g.djOrN : micro(g.djOrN), 4);
  b.u(g.la1 < g.la2 ? 0x40 : 0, 1);
  for (const n of g.pl ?? []) b.u(n, 2);
  // Section 4: template 4.0 at the surface, step in hours.
  b.u(34, 4)
    .u(4, 1)
    .u(0, 2)
    .u(0, 2)
    .u(0, 1)
    .u(spec.param ?? 0, 1)
    .u(spec.stepHours ? 2 : 0, 1)
    .u(0, 1);
  b.u(0, 1)
    .u(0, 2)
    .u(0, 1)
    .u(1, 1)
    .u(spec.stepHours ?? 0, 4)
    .u(1, 1)
    .u(0, 1)
    .u(0, 4)
    .u(255, 1)
    .u(0, 1)
    .u(0, 4);
  // Section 5: simple packing, reference value 0. Section 6: no bitmap. Section 7: header of the data.
  b.u(21, 4).u(5, 1).u(g.points, 4).u(0, 2).u(0, 4).u(0, 2).u(0, 2).u(bits, 1).u(0, 1);
  b.u(6, 4).u(6, 1).u(255, 1);
  b.u(5 + dataBytes, 4).u(7, 1);
  const head = b.bytes();
  const length = head.length + dataBytes + TRAILER.length;
  const view = new DataView(head.buffer);
  view.setUint32(8, Math.floor(length / 2 ** 32));
  view.setUint32(12, length >>> 0);
  return { head, zeros: dataBytes, tail: TRAILER, length };
}
